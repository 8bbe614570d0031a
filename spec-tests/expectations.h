// Comparing results with `assert_return` patterns, and describing values and patterns in
// failure reports.
#pragma once

#include <span>
#include <string>

#include "engine/text/wast.h"
#include "tern/value.h"

namespace tern::spec {

// Bit-exact for numbers and vectors, except where the pattern holds a NaN class
// (nan:canonical / nan:arithmetic, per value or per float lane); references by identity, or
// any non-null reference of the right type.
bool matches(const text::ResultPattern& pattern, const Value& value);

// "i32:5", "f32:nan (0x7fc00000)", "funcref:null", ...
std::string describe(const Value& value);
std::string describe(const text::ResultPattern& pattern);
std::string describe(std::span<const Value> values);
std::string describe(std::span<const text::ResultPattern> patterns);

// Whether a trap or error text we produced fits the text a script expects: the expected text
// contains ours (it may add detail, e.g. "uninitialized element 2" for "uninitialized element").
bool message_matches(std::string_view expected, std::string_view ours);

}  // namespace tern::spec
