#include "engine/text/lexer.h"

#include <cstring>

namespace tern::text {
namespace {

bool is_idchar(char c) {
  if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
  return c != 0 && std::strchr("!#$%&'*+-./:<=>?@\\^_`|~", c) != nullptr;
}

// Characters that may only appear in reserved tokens (and so in annotations).
bool is_reserved_char(char c) {
  return c != 0 && std::strchr(",;[]{}", c) != nullptr;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += char(cp);
  } else if (cp < 0x800) {
    out += char(0xC0 | (cp >> 6));
    out += char(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += char(0xE0 | (cp >> 12));
    out += char(0x80 | ((cp >> 6) & 0x3F));
    out += char(0x80 | (cp & 0x3F));
  } else {
    out += char(0xF0 | (cp >> 18));
    out += char(0x80 | ((cp >> 12) & 0x3F));
    out += char(0x80 | ((cp >> 6) & 0x3F));
    out += char(0x80 | (cp & 0x3F));
  }
}

class Lexer {
 public:
  explicit Lexer(std::string_view src) : src_(src) {}

  Result<std::vector<Token>> run() {
    std::vector<Token> tokens;
    while (true) {
      auto skipped = skip_space();
      if (!skipped.ok()) return skipped.take_error();
      if (pos_ >= src_.size()) break;
      uint32_t start = uint32_t(pos_);
      char c = src_[pos_];
      if (at("(@")) {
        auto skipped_annotation = annotation();
        if (!skipped_annotation.ok()) return skipped_annotation.take_error();
      } else if (c == '(') {
        ++pos_;
        tokens.push_back({Token::Kind::LParen, src_.substr(start, 1), {}, start});
      } else if (c == ')') {
        ++pos_;
        tokens.push_back({Token::Kind::RParen, src_.substr(start, 1), {}, start});
      } else if (c == '"' || is_idchar(c) || is_reserved_char(c)) {
        auto token = word(start);
        if (!token.ok()) return token.take_error();
        tokens.push_back(std::move(token.value()));
      } else {
        return text_error(src_, start, "unexpected character");
      }
    }
    tokens.push_back({Token::Kind::Eof, {}, {}, uint32_t(src_.size())});
    return tokens;
  }

 private:
  bool at(std::string_view s) const { return src_.substr(pos_, s.size()) == s; }

  Result<void> skip_space() {
    while (pos_ < src_.size()) {
      char c = src_[pos_];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        ++pos_;
      } else if (at(";;")) {
        while (pos_ < src_.size() && src_[pos_] != '\n' && src_[pos_] != '\r') ++pos_;
      } else if (at("(;")) {
        uint32_t start = uint32_t(pos_);
        int depth = 0;
        do {
          if (pos_ >= src_.size()) return text_error(src_, start, "unclosed block comment");
          if (at("(;")) {
            ++depth;
            pos_ += 2;
          } else if (at(";)")) {
            --depth;
            pos_ += 2;
          } else {
            ++pos_;
          }
        } while (depth > 0);
      } else {
        break;
      }
    }
    return {};
  }

  // An annotation `(@id ...)` (the annotations proposal): its id is a non-empty run of idchars
  // or a non-empty UTF-8 string right after `(@`; its body is any well-formed tokens and
  // balanced parentheses. Tern gives no annotation a meaning, so it is dropped whole.
  Result<void> annotation() {
    uint32_t start = uint32_t(pos_);
    pos_ += 2;
    if (pos_ < src_.size() && src_[pos_] == '"') {
      std::string id;
      auto s = string_literal(id);
      if (!s.ok()) return s.take_error();
      if (id.empty()) return text_error(src_, start, "empty annotation id");
      if (!is_valid_utf8(id)) return text_error(src_, start, "malformed UTF-8 encoding");
    } else {
      size_t id_start = pos_;
      while (pos_ < src_.size() && is_idchar(src_[pos_])) ++pos_;
      if (pos_ == id_start) return text_error(src_, start, "empty annotation id");
    }
    for (int depth = 1; depth > 0;) {
      auto skipped = skip_space();
      if (!skipped.ok()) return skipped.take_error();
      if (pos_ >= src_.size()) return text_error(src_, start, "unclosed annotation");
      char c = src_[pos_];
      if (c == '(' || c == ')') {
        depth += c == '(' ? 1 : -1;
        ++pos_;
      } else if (c == '"' || is_idchar(c) || is_reserved_char(c)) {
        auto token = word(uint32_t(pos_));
        if (!token.ok()) return token.take_error();
      } else {
        return text_error(src_, uint32_t(pos_), "illegal character");
      }
    }
    return {};
  }

  // A maximal run of idchars and strings: one token. Only a lone string, a lone `$name` or
  // plain idchars make a valid token; mixtures are reserved.
  Result<Token> word(uint32_t start) {
    size_t strings = 0;
    bool has_idchars = false;
    bool has_reserved = false;  // `,;[]{}` only ever make reserved tokens
    std::string value;
    while (pos_ < src_.size()) {
      char c = src_[pos_];
      if (c == '"') {
        ++strings;
        value.clear();
        auto s = string_literal(value);
        if (!s.ok()) return s.take_error();
      } else if (is_idchar(c)) {
        has_idchars = true;
        ++pos_;
      } else if (is_reserved_char(c) && !at(";;")) {
        has_reserved = true;
        ++pos_;
      } else {
        break;
      }
    }
    std::string_view text = src_.substr(start, pos_ - start);
    Token t{Token::Kind::Reserved, text, {}, start};
    if (has_reserved) return t;
    if (strings == 1 && !has_idchars) {
      t.kind = Token::Kind::String;
      t.value = std::move(value);
    } else if (strings == 0 && text[0] == '$' && text.size() > 1) {
      t.kind = Token::Kind::Id;
      t.text = text.substr(1);
    } else if (strings == 0 && text[0] != '$') {
      t.kind = Token::Kind::Atom;
    }
    return t;
  }

  Result<void> string_literal(std::string& out) {
    uint32_t start = uint32_t(pos_);
    ++pos_;  // opening quote
    while (true) {
      if (pos_ >= src_.size()) return text_error(src_, start, "unclosed string");
      unsigned char c = uint8_t(src_[pos_]);
      if (c == '"') {
        ++pos_;
        return {};
      }
      if (c < 0x20 || c == 0x7F)
        return text_error(src_, uint32_t(pos_), "illegal character in string");
      if (c != '\\') {
        out += char(c);
        ++pos_;
        continue;
      }
      uint32_t esc = uint32_t(pos_);
      if (pos_ + 1 >= src_.size()) return text_error(src_, start, "unclosed string");
      char e = src_[pos_ + 1];
      pos_ += 2;
      switch (e) {
        case 't':
          out += '\t';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case '"':
          out += '"';
          break;
        case '\'':
          out += '\'';
          break;
        case '\\':
          out += '\\';
          break;
        case 'u': {
          if (pos_ >= src_.size() || src_[pos_] != '{')
            return text_error(src_, esc, "illegal escape");
          ++pos_;
          uint32_t cp = 0;
          size_t digits = 0;
          while (pos_ < src_.size() && (hex_value(src_[pos_]) >= 0 || src_[pos_] == '_')) {
            if (src_[pos_] != '_') {
              cp = cp * 16 + uint32_t(hex_value(src_[pos_]));
              if (cp > 0x10FFFF) return text_error(src_, esc, "illegal escape");
              ++digits;
            }
            ++pos_;
          }
          if (digits == 0 || pos_ >= src_.size() || src_[pos_] != '}' ||
              (cp >= 0xD800 && cp < 0xE000)) {
            return text_error(src_, esc, "illegal escape");
          }
          ++pos_;
          append_utf8(out, cp);
          break;
        }
        default: {
          int hi = hex_value(e);
          int lo = pos_ < src_.size() ? hex_value(src_[pos_]) : -1;
          if (hi < 0 || lo < 0) return text_error(src_, esc, "illegal escape");
          ++pos_;
          out += char(hi * 16 + lo);
        }
      }
    }
  }

  std::string_view src_;
  size_t pos_ = 0;
};

}  // namespace

Result<std::vector<Token>> tokenize(std::string_view source) {
  return Lexer(source).run();
}

Error text_error(std::string_view source, uint32_t offset, std::string message) {
  uint32_t line = 1, column = 1;
  for (uint32_t i = 0; i < offset && i < source.size(); ++i) {
    if (source[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  message += " at " + std::to_string(line) + ":" + std::to_string(column);
  return Error::malformed(std::move(message), offset);
}

uint32_t line_of(std::string_view source, uint32_t offset) {
  uint32_t line = 1;
  for (uint32_t i = 0; i < offset && i < source.size(); ++i) line += source[i] == '\n';
  return line;
}

bool is_valid_utf8(std::string_view bytes) {
  size_t i = 0;
  while (i < bytes.size()) {
    uint8_t b = uint8_t(bytes[i]);
    size_t len;
    uint32_t cp;
    if (b < 0x80) {
      ++i;
      continue;
    } else if ((b & 0xE0) == 0xC0) {
      len = 2;
      cp = b & 0x1F;
    } else if ((b & 0xF0) == 0xE0) {
      len = 3;
      cp = b & 0x0F;
    } else if ((b & 0xF8) == 0xF0) {
      len = 4;
      cp = b & 0x07;
    } else {
      return false;
    }
    if (i + len > bytes.size()) return false;
    for (size_t k = 1; k < len; ++k) {
      uint8_t cont = uint8_t(bytes[i + k]);
      if ((cont & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cont & 0x3F);
    }
    static constexpr uint32_t kMinForLength[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMinForLength[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp < 0xE000)) return false;
    i += len;
  }
  return true;
}

}  // namespace tern::text
