// A cursor over the token stream shared by the module and script parsers. The parsers are
// recursive descent; a syntax error anywhere unwinds as a ParseError to the public entry
// points (wat_to_binary, parse_wast), which turn it into an Error value.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/text/lexer.h"
#include "tern/types.h"

namespace tern::text {

struct ParseError {
  Error error;
};

class TokenCursor {
 public:
  TokenCursor(std::string_view source, const std::vector<Token>& tokens, size_t pos = 0)
      : source_(source), tokens_(tokens), pos_(pos) {}

  const Token& peek(size_t ahead = 0) const {
    size_t i = pos_ + ahead;
    return i < tokens_.size() ? tokens_[i] : tokens_.back();
  }
  const Token& next() {
    const Token& t = peek();
    if (pos_ < tokens_.size() - 1) ++pos_;
    return t;
  }
  size_t position() const { return pos_; }
  void seek(size_t pos) { pos_ = pos; }
  std::string_view source() const { return source_; }

  bool at(Token::Kind kind) const { return peek().kind == kind; }
  bool at_atom(std::string_view text, size_t ahead = 0) const {
    return peek(ahead).kind == Token::Kind::Atom && peek(ahead).text == text;
  }
  // `(` followed by the keyword.
  bool at_form(std::string_view keyword) const {
    return at(Token::Kind::LParen) && at_atom(keyword, 1);
  }
  // Consumes `(keyword` if it is next.
  bool take_form(std::string_view keyword) {
    if (!at_form(keyword)) return false;
    pos_ += 2;
    return true;
  }
  bool take_atom(std::string_view text) {
    if (!at_atom(text)) return false;
    next();
    return true;
  }

  [[noreturn]] void fail(const Token& at, std::string message) const {
    throw ParseError{text_error(source_, at.offset, std::move(message))};
  }
  [[noreturn]] void fail(std::string message) const { fail(peek(), std::move(message)); }
  [[noreturn]] void unexpected() const {
    fail(at(Token::Kind::Eof) ? "unexpected end of input" : "unexpected token");
  }

  void expect(Token::Kind kind) {
    if (!at(kind)) unexpected();
    next();
  }
  void expect_lparen() { expect(Token::Kind::LParen); }
  void expect_rparen() { expect(Token::Kind::RParen); }
  void expect_atom(std::string_view text) {
    if (!take_atom(text)) unexpected();
  }
  std::string expect_string() {
    if (!at(Token::Kind::String)) unexpected();
    return next().value;
  }
  // A string that names something: it must be valid UTF-8.
  std::string expect_name() {
    const Token& t = peek();
    std::string s = expect_string();
    if (!is_valid_utf8(s)) fail(t, "malformed UTF-8 encoding");
    return s;
  }
  std::optional<std::string_view> take_id() {
    if (!at(Token::Kind::Id)) return std::nullopt;
    return next().text;
  }
  // Skips a balanced S-expression starting at `(`, or one token.
  void skip_sexpr() {
    int depth = 0;
    do {
      if (at(Token::Kind::Eof)) unexpected();
      if (at(Token::Kind::LParen)) ++depth;
      if (at(Token::Kind::RParen)) --depth;
      next();
    } while (depth > 0);
  }

 private:
  std::string_view source_;
  const std::vector<Token>& tokens_;
  size_t pos_;
};

}  // namespace tern::text
