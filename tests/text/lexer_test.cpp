#include "engine/text/lexer.h"

#include <catch2/catch.hpp>

using namespace tern::text;
using Kind = Token::Kind;

namespace {

std::vector<Token> lex(std::string_view s) {
  auto r = tokenize(s);
  REQUIRE(r.ok());
  return r.value();
}

}  // namespace

TEST_CASE("lexer splits tokens and skips comments", "[text][lexer]") {
  auto t = lex("(module $m ;; line\n (; block (; nested ;) ;) i32.const -0x1_0)");
  REQUIRE(t.size() == 7);
  CHECK(t[0].kind == Kind::LParen);
  CHECK(t[1].kind == Kind::Atom);
  CHECK(t[1].text == "module");
  CHECK(t[2].kind == Kind::Id);
  CHECK(t[2].text == "m");
  CHECK(t[3].text == "i32.const");
  CHECK(t[4].text == "-0x1_0");
  CHECK(t[5].kind == Kind::RParen);
  CHECK(t[6].kind == Kind::Eof);
}

TEST_CASE("lexer decodes string escapes", "[text][lexer]") {
  auto t = lex(R"("a\t\n\r\"\'\\\00\ff\u{41}\u{10FFFF}\u{e9}")");
  REQUIRE(t[0].kind == Kind::String);
  CHECK(t[0].value == std::string("a\t\n\r\"'\\\0\xff"
                                  "A\xF4\x8F\xBF\xBF\xC3\xA9",
                                  16));
}

TEST_CASE("lexer rejects bad input", "[text][lexer]") {
  CHECK_FALSE(tokenize("\"unterminated").ok());
  CHECK_FALSE(tokenize("(; unterminated (; ;)").ok());
  CHECK_FALSE(tokenize(R"("\u{D800}")").ok());
  CHECK_FALSE(tokenize(R"("\u{110000}")").ok());
  CHECK_FALSE(tokenize(R"("\x")").ok());
  CHECK_FALSE(tokenize("\"tab\there\"").ok());
  CHECK_FALSE(tokenize("a\x01b").ok());
  auto e = tokenize("(\n  \"abc");
  REQUIRE_FALSE(e.ok());
  CHECK(e.error().offset == 4u);
  CHECK(e.error().message.find("2:3") != std::string::npos);
}

TEST_CASE("adjacent tokens without separation form one token", "[text][lexer]") {
  CHECK(lex("0$x").size() == 2);  // one token (not a number; the parser rejects it) and Eof
  CHECK(lex(R"("a""b")")[0].kind == Kind::Reserved);
  CHECK(lex("$")[0].kind == Kind::Reserved);
  // `,;[]{}` only make reserved tokens (3.0's lexical grammar); `;;` still starts a comment.
  CHECK(lex("a{b")[0].kind == Kind::Reserved);
  CHECK(lex("a{b").size() == 2);
  CHECK(lex("x;;comment")[0].text == "x");
}

TEST_CASE("annotations are dropped whole", "[text][lexer]") {
  auto tokens = lex(R"wat((@a x "s" (y (@z)) , ; ]) (module (@"b" $x 0x3))))wat");
  REQUIRE(tokens.size() == 5);
  CHECK(tokens[0].kind == Kind::LParen);
  CHECK(tokens[1].text == "module");
  CHECK(tokens[2].kind == Kind::RParen);
  CHECK(tokens[3].kind == Kind::RParen);
  CHECK(tokens[4].kind == Kind::Eof);
  for (const char* bad : {"(@)", "(@ x)", "(@\"\")", "(@x (y)", "(@x \"", "(@x \x01)"}) {
    INFO(bad);
    CHECK_FALSE(tokenize(bad).ok());
  }
  CHECK(tokenize("(@x").error().message.find("unclosed annotation") != std::string::npos);
  CHECK(tokenize("(@ x)").error().message.find("empty annotation id") != std::string::npos);
}

TEST_CASE("UTF-8 validation", "[text][lexer]") {
  CHECK(is_valid_utf8("plain"));
  CHECK(is_valid_utf8("\xC3\xA9\xF0\x9F\x98\x80"));
  CHECK_FALSE(is_valid_utf8("\xC0\x80"));          // overlong
  CHECK_FALSE(is_valid_utf8("\xED\xA0\x80"));      // surrogate
  CHECK_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  CHECK_FALSE(is_valid_utf8("\xE2\x82"));          // truncated
}
