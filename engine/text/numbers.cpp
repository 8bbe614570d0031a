#include "engine/text/numbers.h"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <string>

namespace tern::text {
namespace {

int digit_value(char c, bool hex) {
  if (c >= '0' && c <= '9') return c - '0';
  if (!hex) return -1;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Digits with single `_` separators between them: "1_000". Returns the digits without
// separators, or nothing if the separators are misplaced or a character is not a digit.
std::optional<std::string> strip_digits(std::string_view text, bool hex) {
  std::string out;
  bool last_digit = false;
  for (char c : text) {
    if (c == '_') {
      if (!last_digit) return std::nullopt;
      last_digit = false;
      continue;
    }
    if (digit_value(c, hex) < 0) return std::nullopt;
    out += c;
    last_digit = true;
  }
  if (!last_digit) return std::nullopt;
  return out;
}

// Splits an optional sign off the text.
bool take_sign(std::string_view& text) {
  bool negative = !text.empty() && text[0] == '-';
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) text.remove_prefix(1);
  return negative;
}

bool take_hex_prefix(std::string_view& text) {
  if (text.size() >= 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    text.remove_prefix(2);
    return true;
  }
  return false;
}

// The magnitude of an unsigned literal, if it fits in 64 bits.
std::optional<uint64_t> magnitude(std::string_view text) {
  bool hex = take_hex_prefix(text);
  auto digits = strip_digits(text, hex);
  if (!digits) return std::nullopt;
  uint64_t value = 0;
  unsigned base = hex ? 16 : 10;
  for (char c : *digits) {
    uint64_t d = uint64_t(digit_value(c, hex));
    if (value > (UINT64_MAX - d) / base) return std::nullopt;
    value = value * base + d;
  }
  return value;
}

struct FloatFormat {
  int significand_bits;  // including the implicit bit: 24 or 53
  int exponent_bias;     // 127 or 1023
  int max_biased;        // 255 or 2047 (infinity / NaN)
};
constexpr FloatFormat kF32{24, 127, 255};
constexpr FloatFormat kF64{53, 1023, 2047};

// Rounds m * 2^e (m nonzero; `sticky` marks nonzero bits below m) to the format, nearest even.
// Empty on overflow to infinity.
std::optional<uint64_t> round_to_format(uint64_t m, int64_t e, bool sticky, const FloatFormat& f) {
  while (!(m >> 63)) {
    m <<= 1;
    --e;
  }
  int64_t exponent = e + 63;  // value = 1.xxx * 2^exponent
  int64_t min_normal = 1 - f.exponent_bias;
  int64_t shift = 64 - f.significand_bits;
  bool subnormal = exponent < min_normal;
  if (subnormal) shift += min_normal - exponent;
  uint64_t kept = 0, rest = 0, half = 0;
  if (shift >= 65) {
    rest = 1;  // everything below the rounding point, less than half of the smallest subnormal
    half = 2;
  } else if (shift == 64) {
    rest = m;
    half = uint64_t(1) << 63;
  } else {
    kept = m >> shift;
    rest = m & ((uint64_t(1) << shift) - 1);
    half = uint64_t(1) << (shift - 1);
  }
  if (rest > half || (rest == half && (sticky || (kept & 1)))) ++kept;
  uint64_t fraction_mask = (uint64_t(1) << (f.significand_bits - 1)) - 1;
  if (subnormal) return kept;  // a carry into the exponent field makes the smallest normal
  if (kept >> f.significand_bits) {
    kept >>= 1;
    ++exponent;
  }
  int64_t biased = exponent + f.exponent_bias;
  if (biased >= f.max_biased) return std::nullopt;
  return (uint64_t(biased) << (f.significand_bits - 1)) | (kept & fraction_mask);
}

// `0x` hexnum (`.` hexfrac?)? (`p` sign? num)?, without the `0x`.
std::optional<uint64_t> parse_hex_float(std::string_view text, const FloatFormat& f) {
  size_t p = text.find_first_of("pP");
  std::string_view mantissa = text.substr(0, p);
  int64_t exp2 = 0;
  if (p != std::string_view::npos) {
    std::string_view exp_text = text.substr(p + 1);
    bool negative = take_sign(exp_text);
    auto digits = strip_digits(exp_text, false);
    if (!digits) return std::nullopt;
    for (char c : *digits) {
      exp2 = exp2 * 10 + (c - '0');
      if (exp2 > 100000) exp2 = 100000;  // far beyond any format's range
    }
    if (negative) exp2 = -exp2;
  }
  size_t dot = mantissa.find('.');
  std::string_view int_part = mantissa.substr(0, dot);
  std::string_view frac_part = dot == std::string_view::npos ? "" : mantissa.substr(dot + 1);
  auto int_digits = strip_digits(int_part, true);
  if (!int_digits) return std::nullopt;
  std::optional<std::string> frac_digits = std::string();
  if (!frac_part.empty()) frac_digits = strip_digits(frac_part, true);
  if (!frac_digits) return std::nullopt;
  uint64_t m = 0;
  bool sticky = false;
  auto add_digit = [&](char c, bool fraction) {
    uint64_t d = uint64_t(digit_value(c, true));
    if (m >> 60) {
      sticky |= d != 0;
      if (!fraction) exp2 += 4;
    } else {
      m = m * 16 + d;
      if (fraction) exp2 -= 4;
    }
  };
  for (char c : *int_digits) add_digit(c, false);
  for (char c : *frac_digits) add_digit(c, true);
  if (m == 0) return 0;
  return round_to_format(m, exp2, sticky, f);
}

// Decimal: num (`.` frac?)? (`e` sign? num)?. Exactly rounded by std::from_chars.
template <class Float, class Bits>
std::optional<Bits> parse_decimal_float(std::string_view text) {
  size_t e = text.find_first_of("eE");
  std::string_view mantissa = text.substr(0, e);
  size_t dot = mantissa.find('.');
  auto int_digits = strip_digits(mantissa.substr(0, dot), false);
  if (!int_digits) return std::nullopt;
  std::string clean = *int_digits;
  if (dot != std::string_view::npos && dot + 1 < mantissa.size()) {
    auto frac = strip_digits(mantissa.substr(dot + 1), false);
    if (!frac) return std::nullopt;
    clean += "." + *frac;
  }
  if (e != std::string_view::npos) {
    std::string_view exp_text = text.substr(e + 1);
    bool negative = take_sign(exp_text);
    auto digits = strip_digits(exp_text, false);
    if (!digits) return std::nullopt;
    clean += negative ? "e-" : "e";
    clean += *digits;
  }
  Float value{};
  auto [end, ec] = std::from_chars(clean.data(), clean.data() + clean.size(), value);
  if (end != clean.data() + clean.size()) return std::nullopt;
  if (ec == std::errc::result_out_of_range) {
    // Overflow or underflow: the decimal exponent of the leading digit tells which.
    long lead = 0;
    size_t first = clean.find_first_of("123456789");
    if (first == std::string::npos) return 0;
    size_t int_end = clean.find_first_of(".e");
    if (int_end == std::string::npos) int_end = clean.size();
    lead = first < int_end ? long(int_end - first - 1) : -long(first - int_end);
    if (e != std::string_view::npos) {
      size_t epos = clean.find('e');
      std::string_view exp_digits = std::string_view(clean).substr(epos + 1);
      bool negative = !exp_digits.empty() && exp_digits[0] == '-';
      if (negative) exp_digits.remove_prefix(1);
      long ev = 0;
      for (char c : exp_digits) ev = std::min(ev * 10 + (c - '0'), 1000000L);
      lead += negative ? -ev : ev;
    }
    if (lead > 0) return std::nullopt;
    return 0;
  }
  if (ec != std::errc()) return std::nullopt;
  Bits bits;
  static_assert(sizeof(bits) == sizeof(value));
  std::memcpy(&bits, &value, sizeof(bits));
  return bits;
}

template <class Float, class Bits>
std::optional<Bits> parse_float(std::string_view text, const FloatFormat& f) {
  bool negative = take_sign(text);
  Bits sign = negative ? Bits(1) << (sizeof(Bits) * 8 - 1) : 0;
  int fraction_bits = f.significand_bits - 1;
  Bits exponent_all_ones = Bits(f.max_biased) << fraction_bits;
  std::optional<Bits> magnitude_bits;
  if (text == "inf") {
    magnitude_bits = exponent_all_ones;
  } else if (text == "nan") {
    magnitude_bits = exponent_all_ones | (Bits(1) << (fraction_bits - 1));
  } else if (text.substr(0, 4) == "nan:") {
    std::string_view payload_text = text.substr(4);
    if (!take_hex_prefix(payload_text)) return std::nullopt;
    auto payload = magnitude(text.substr(4));
    if (!payload || *payload == 0 || *payload >> fraction_bits) return std::nullopt;
    magnitude_bits = exponent_all_ones | Bits(*payload);
  } else if (take_hex_prefix(text)) {
    auto bits = parse_hex_float(text, f);
    if (bits) magnitude_bits = Bits(*bits);
  } else {
    magnitude_bits = parse_decimal_float<Float, Bits>(text);
  }
  if (!magnitude_bits) return std::nullopt;
  return Bits(*magnitude_bits | sign);
}

}  // namespace

std::optional<uint64_t> parse_unsigned(std::string_view text, unsigned bits) {
  if (text.empty() || text[0] == '+' || text[0] == '-') return std::nullopt;
  auto value = magnitude(text);
  if (!value || (bits < 64 && *value >> bits)) return std::nullopt;
  return value;
}

std::optional<uint64_t> parse_int(std::string_view text, unsigned bits) {
  if (text.empty()) return std::nullopt;
  bool has_sign = text[0] == '+' || text[0] == '-';
  if (!has_sign) return parse_unsigned(text, bits);
  bool negative = take_sign(text);
  auto value = magnitude(text);
  if (!value) return std::nullopt;
  uint64_t limit = uint64_t(1) << (bits - 1);  // |min|; max is limit - 1
  if (negative ? *value > limit : *value >= limit) return std::nullopt;
  uint64_t result = negative ? uint64_t(0) - *value : *value;
  if (bits < 64) result &= (uint64_t(1) << bits) - 1;
  return result;
}

std::optional<uint32_t> parse_f32(std::string_view text) {
  return parse_float<float, uint32_t>(text, kF32);
}

std::optional<uint64_t> parse_f64(std::string_view text) {
  return parse_float<double, uint64_t>(text, kF64);
}

}  // namespace tern::text
