// Modules written as WAT, for the unit tests: the one place tests turn text into modules.
// Failures throw std::runtime_error with the reader's or compiler's error text, which Catch
// reports as the test's failure (and which works in constructors and outside Catch macros).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "tern/tern.h"

namespace tern::test {

// `wat` read and compiled by `engine`: the module, or the text reader's or compiler's error.
Result<Module> compile_wat(Engine& engine, std::string_view wat);

// compile_wat for a module that must compile.
Module must_compile(Engine& engine, std::string_view wat);

// The binary encoding of `wat`, for tests that edit or reuse the bytes; it must read.
std::vector<uint8_t> must_encode(std::string_view wat);

}  // namespace tern::test
