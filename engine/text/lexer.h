// The text format's tokens (spec text/lexical.rst): parentheses, identifiers, strings, and the
// atoms that are keywords or numbers. Anything else is a `Reserved` token the parser rejects.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tern/error.h"

namespace tern::text {

struct Token {
  enum class Kind : uint8_t { LParen, RParen, Id, String, Atom, Reserved, Eof } kind;
  // The source characters; for Id without the `$`. A string identifier `$"name"` has its
  // decoded name here, a view of `value`: move a token vector, never copy it.
  std::string_view text;
  std::string value;    // String, and Id written as a string: the decoded bytes
  uint32_t offset = 0;  // byte offset in the source
};

// Splits `source` into tokens, ending with an Eof token. Fails on unterminated strings or
// block comments, bad escapes, and characters outside the token grammar.
Result<std::vector<Token>> tokenize(std::string_view source);

// "message at line:column", as a Malformed error at `offset` in `source`.
Error text_error(std::string_view source, uint32_t offset, std::string message);

// The 1-based line of `offset` in `source`.
uint32_t line_of(std::string_view source, uint32_t offset);

// True if `bytes` is valid UTF-8 (names must be).
bool is_valid_utf8(std::string_view bytes);

}  // namespace tern::text
