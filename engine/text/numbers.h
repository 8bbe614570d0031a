// Number literals of the text format (spec text/values.rst): integers with `_` separators and
// hex forms, and floats in decimal, hex, `inf` and `nan[:0x…]` forms, rounded to nearest even.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace tern::text {

// uN: an unsigned decimal or hex literal below 2^bits.
std::optional<uint64_t> parse_unsigned(std::string_view text, unsigned bits);

// iN: uN, or a signed literal in [-2^(bits-1), 2^(bits-1)); returned as the two's-complement
// bit pattern.
std::optional<uint64_t> parse_int(std::string_view text, unsigned bits);

// fN bit patterns. Empty when the text is not a float literal or rounds to infinity.
std::optional<uint32_t> parse_f32(std::string_view text);
std::optional<uint64_t> parse_f64(std::string_view text);

}  // namespace tern::text
