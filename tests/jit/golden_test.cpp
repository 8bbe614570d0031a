// Golden code: the x86-64 instructions a few representative operators compile to.
#include <catch2/catch.hpp>
#include <cstdio>

#include "engine/runtime/api_access.h"
#include "jit/common/module_compiler.h"
#include "tern/tern.h"
#include "tests/support/wat.h"

using namespace tern;

namespace {

// The listing of a module with one function, from its frame setup to its return.
std::string listing_of(const std::string& wat) {
  Engine engine;
  Module m = test::must_compile(engine, wat);
  std::string text;
  auto jm = jit::compile_module(*detail::Access::module(m), engine.config(), &text);
  REQUIRE(jm.ok());
  if (std::getenv("TERN_PRINT_LISTING")) std::fputs(text.c_str(), stderr);
  return text;
}

}  // namespace

TEST_CASE("golden: i32.add with a constant folds the immediate") {
  std::string s =
      listing_of("(module (func (param i32) (result i32) (i32.add (local.get 0) (i32.const 5))))");
  CHECK_THAT(s, Catch::Contains("mov rbx, qword ptr [rsp]\n"
                                "add ebx, 5\n"
                                "mov qword ptr [rsp+8], rbx\n"));
}

TEST_CASE("golden: a load is one access off the memory base") {
  std::string s = listing_of(
      "(module (memory 1) (func (param i32) (result i64) (i64.load offset=16 (local.get 0))))");
  CHECK_THAT(s, Catch::Contains("mov rbx, qword ptr [rsp]\n"
                                "mov eax, ebx\n"
                                "mov rbx, qword ptr [r14+rax+16]\n"));
}

TEST_CASE("golden: br_if tests the condition and branches") {
  std::string s = listing_of("(module (func (param i32) (block (br_if 0 (local.get 0)))))");
  CHECK_THAT(s, Catch::Contains("mov rbx, qword ptr [rsp]\n"
                                "test ebx, ebx\n"
                                "jnz L"));
}

TEST_CASE("golden: a comparison feeding br_if becomes a compare and a conditional jump") {
  std::string s = listing_of(
      "(module (func (param i32) (loop (br_if 0 (i32.ne (local.get 0) (i32.const 100))))))");
  CHECK_THAT(s, Catch::Contains("cmp ebx, 100\n"
                                "short jne L"));  // the loop head is near
  CHECK_THAT(s, !Catch::Contains("setne"));
}

TEST_CASE("golden: eqz under if negates the comparison instead of computing it") {
  std::string s = listing_of(
      "(module (func (param i64) (result i32)"
      "  (if (result i32) (i32.eqz (i64.lt_u (local.get 0) (i64.const 7)))"
      "    (then (i32.const 1)) (else (i32.const 2)))))");
  // if jumps to the else arm when its condition is false, i.e. when x <u 7.
  CHECK_THAT(s, Catch::Contains("cmp rbx, 7\n"
                                "jb L"));
  CHECK_THAT(s, !Catch::Contains("setb"));
}

TEST_CASE("golden: a loop counter set before the loop stays in a register across iterations") {
  std::string s = listing_of(
      "(module (func (param i32) (result i32) (local i32)"
      "  (local.set 1 (i32.const 0))"
      "  (loop (local.set 1 (i32.add (local.get 1) (i32.const 1)))"
      "        (br_if 0 (i32.lt_u (local.get 1) (local.get 0))))"
      "  (local.get 1)))");
  CHECK_THAT(s, Catch::Contains("mov ebx, 0\nL"));  // cached in rbx as the loop starts
  CHECK_THAT(s, Catch::Contains("mov esi, ebx\n"
                                "add esi, 1\n"
                                "mov rbx, rsi\n"));
  // The comparison reads the cached register itself, not a copy.
  CHECK_THAT(s, Catch::Contains("mov rsi, qword ptr [rsp]\n"
                                "cmp ebx, esi\n"));
  // Its slot ([rsp+8]) is neither read nor written after the prologue zeroes it.
  CHECK_THAT(s, !Catch::Contains("qword ptr [rsp+8], rbx"));
  CHECK_THAT(s, !Catch::Contains(", qword ptr [rsp+8]"));
}

TEST_CASE("golden: an f64 accumulator set before the loop stays in an xmm register") {
  std::string s = listing_of(
      "(module (func (param f64 i32) (result f64) (local f64)"
      "  (local.set 2 (f64.const 0))"
      "  (loop (local.set 2 (f64.add (local.get 2) (local.get 0)))"
      "        (br_if 0 (local.tee 1 (i32.sub (local.get 1) (i32.const 1)))))"
      "  (local.get 2)))");
  CHECK_THAT(s, Catch::Contains("addsd xmm"));
  // The accumulator's slot ([rsp+16]) is never read: it lives in a register throughout.
  CHECK_THAT(s, !Catch::Contains(", qword ptr [rsp+16]"));
}

TEST_CASE("golden: a direct call passes its argument slots") {
  std::string s = listing_of("(module (func $f (param i32)) (func (call $f (i32.const 3))))");
  CHECK_THAT(s, Catch::Contains("mov qword ptr [rsp], 3\n"
                                "lea rdi, qword ptr [rsp]\n"
                                "call L1\n"));  // L0: the entry trampoline
}

TEST_CASE("golden: every function checks the stack and the call depth in its prologue") {
  std::string s = listing_of("(module (func))");
  CHECK_THAT(s, Catch::Contains("cmp rsp, qword ptr [r15]\n"
                                "jb L"));
  CHECK_THAT(s, Catch::Contains("sub dword ptr [r15+8], 1\n"
                                "jb L"));
}

TEST_CASE("golden: f64.mul of two locals stays in xmm registers") {
  std::string s = listing_of(
      "(module (func (param f64 f64) (result f64) (f64.mul (local.get 0) (local.get 1))))");
  CHECK_THAT(s, Catch::Contains("movsd xmm0, qword ptr [rsp]\n"
                                "movsd xmm1, qword ptr [rsp+8]\n"
                                "mulsd xmm0, xmm1\n"
                                "movsd qword ptr [rsp+16], xmm0\n"));
}

TEST_CASE("golden: i32.trunc_f64_s converts inline and checks only the indefinite result") {
  std::string s =
      listing_of("(module (func (param f64) (result i32) (i32.trunc_f64_s (local.get 0))))");
  CHECK_THAT(s, Catch::Contains("movsd xmm0, qword ptr [rsp]\n"
                                "cvttsd2si ebx, xmm0\n"
                                "cmp ebx, 1\n"
                                "jno L"));
  // The slow path tells NaN (invalid conversion) from out of range (overflow).
  CHECK_THAT(s, Catch::Contains("ucomisd xmm0, xmm0\n"
                                "jp L"));
}
