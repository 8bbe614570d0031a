// Golden code. The listings of representative functions on each ISA are kept in files,
// tests/jit/golden/<isa>/<case>.txt, and compared whole: a change to the generated code shows as
// a diff of those files (TERN_UPDATE_GOLDEN=1 rewrites them). Encoding needs no target CPU, so
// both ISAs are checked on any host. The x86-64 cases below assert properties of the code.
#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>

#include "engine/runtime/api_access.h"
#include "engine/validator/validator.h"
#include "jit/a64/a64_masm.h"
#include "jit/common/func_compiler.h"
#include "jit/x64/x64_frame.h"
#include "jit/x64/x64_masm.h"
#include "tern/tern.h"
#include "tests/support/wat.h"

using namespace tern;

namespace {

struct Isa {
  const char* name;
  std::unique_ptr<jit::ModuleAssembler> (*make)(bool with_listing, size_t code_size_hint);
};
const Isa kX64{"x64", jit::make_x64_assembler};
const Isa kA64{"a64", jit::make_a64_assembler};

// The listing of a module's functions as `isa` assembles them (after the entry trampoline,
// as a module's first block has it), without placing it in memory.
std::string listing_of(const Isa& isa, const std::string& wat) {
  Engine engine(Config{.tier = Tier::Jit});  // compiling for Tier::Auto refuses GC
  Module m = test::must_compile(engine, wat);
  const rt::CompiledModule& module = *detail::Access::module(m);
  std::unique_ptr<jit::ModuleAssembler> masm = isa.make(true, 0);
  jit::Label trampoline = masm->new_label();
  jit::Label resume = masm->new_label();
  jit::Label leave_activation = masm->new_label();
  masm->entry_trampoline(trampoline, resume, leave_activation);
  uint32_t num_defined = uint32_t(module.info.bodies.size());
  std::vector<jit::Label> labels;
  for (uint32_t i = 0; i < num_defined; ++i) labels.push_back(masm->new_label());
  std::deque<uint64_t> fuel_cells;
  for (uint32_t i = 0; i < num_defined; ++i) {
    jit::FuncCompiler compiler(*masm, module, labels, 0, nullptr, fuel_cells, engine.config());
    REQUIRE(validate_function(module.info, i, &compiler).ok());
  }
  std::string text = masm->listing();
  if (std::getenv("TERN_PRINT_LISTING")) std::fputs(text.c_str(), stderr);
  return text;
}

std::string listing_of(const std::string& wat) {
  return listing_of(kX64, wat);
}

// Host addresses (helpers, code tables) differ from run to run: x86-64 has them as 64-bit
// immediates (asmjit writes them in decimal), AArch64 as a movz/movk sequence of three or four
// instructions.
std::string without_addresses(const std::string& listing) {
  static const std::regex x64_address("\\b[0-9]{11,}\\b");
  static const std::regex a64_address("movz (x[0-9]+), [^\\n]*\\n(movk \\1, [^\\n]*\\n){2,3}");
  std::string s = std::regex_replace(listing, x64_address, "<address>");
  return std::regex_replace(s, a64_address, "mov $1, <address>\n");
}

struct GoldenCase {
  const char* name;
  const char* wat;
  // x86-64 picks these instructions by the host CPU's features (lzcnt, popcnt, SSE4.1), so
  // its listing is not the same on every machine: AArch64 only.
  bool uses_optional_x64_features = false;
  // v128 values: x86-64 only until the AArch64 backend has its SimdAssembler, and only on an
  // x86-64 host with SSE4.1.
  bool uses_simd = false;
};

const GoldenCase kGoldenCases[] = {
    {"i32_add_imm",
     "(module (func (param i32) (result i32) (i32.add (local.get 0) (i32.const 5))))"},
    {"i64_arith",
     "(module (func (param i64 i64) (result i64)"
     "  (i64.xor (i64.mul (local.get 0) (local.get 1)) (i64.and (local.get 0) (i64.const "
     "0xff00)))))"},
    {"shifts_rotates",
     "(module (func (param i32 i64) (result i64)"
     "  (i64.add (i64.extend_i32_u (i32.rotl (i32.shl (local.get 0) (i32.const 3)) (local.get 0)))"
     "           (i64.rotr (i64.shr_s (local.get 1) (local.get 1)) (i64.const 7)))))"},
    {"div_rem",
     "(module (func (param i32 i32 i64 i64) (result i64)"
     "  (i64.add (i64.extend_i32_s (i32.div_s (local.get 0) (local.get 1)))"
     "           (i64.rem_u (local.get 2) (local.get 3)))))"},
    {"bit_counts",
     "(module (func (param i32 i64) (result i64)"
     "  (i64.add (i64.extend_i32_u (i32.add (i32.clz (local.get 0)) (i32.popcnt (local.get 0))))"
     "           (i64.ctz (local.get 1)))))",
     true},
    {"memory",
     "(module (memory 1) (func (param i32) (result i64)"
     "  (i32.store8 offset=3 (local.get 0) (i32.load16_s (local.get 0)))"
     "  (i64.load offset=70000 (local.get 0))))"},
    {"memory64_load",
     "(module (memory i64 1) (func (param i64) (result i32) (i32.load offset=16 (local.get 0))))"},
    {"memory1_load",
     "(module (memory 1) (memory 1)"
     "  (func (param i32) (result i32) (i32.load 1 offset=16 (local.get 0))))"},
    {"loop_compare_branch",
     "(module (func (param i32) (result i32) (local i32)"
     "  (loop (local.set 1 (i32.add (local.get 1) (i32.const 1)))"
     "        (br_if 0 (i32.lt_u (local.get 1) (local.get 0))))"
     "  (local.get 1)))"},
    {"select",
     "(module (func (param i64 i64 i32) (result i64) (select (local.get 0) (local.get 1) "
     "(local.get 2))))"},
    // Eight targets and the default: a table of offsets after an indirect jump.
    {"br_table",
     "(module (func (param i32) (result i32)"
     "  (block (block (block (block (block (block (block (block (block"
     "    (br_table 0 1 2 3 4 5 6 7 8 (local.get 0)))"
     "    (return (i32.const 10))) (return (i32.const 11))) (return (i32.const 12)))"
     "    (return (i32.const 13))) (return (i32.const 14))) (return (i32.const 15)))"
     "    (return (i32.const 16))) (return (i32.const 17)))"
     "  (i32.const 18)))"},
    {"f64_arith",
     "(module (func (param f64 f64) (result f64)"
     "  (f64.copysign (f64.min (f64.mul (local.get 0) (local.get 1)) (f64.const 1.5))"
     "                (f64.nearest (local.get 1)))))",
     true},
    {"f32_compare",
     "(module (func (param f32 f32) (result i32) (f32.le (local.get 0) (local.get 1))))"},
    {"conversions",
     "(module (func (param f64 f32) (result i64)"
     "  (i64.add (i64.extend_i32_s (i32.trunc_f64_s (local.get 0)))"
     "           (i64.trunc_sat_f32_u (local.get 1)))))"},
    {"globals",
     "(module (global $g (mut i64) (i64.const 0)) (func (param i64)"
     "  (global.set $g (i64.add (global.get $g) (local.get 0)))))"},
    {"calls",
     "(module (type $t (func (param i32) (result i32))) (table 1 funcref)"
     "  (func $f (param i32) (result i32) (local.get 0))"
     "  (func (param i32) (result i32)"
     "    (call_indirect (type $t) (call $f (local.get 0)) (local.get 0))))"},
    // Nothing on the path that throws nothing beyond the call: the handlers are data.
    {"try_table",
     "(module (tag $e (param i32)) (func $f (param i32) (throw $e (local.get 0)))"
     "  (func (param i32) (result i32)"
     "    (block $h (result i32)"
     "      (try_table (catch $e $h) (call $f (local.get 0)))"
     "      (i32.const -1))))"},
    // v128 in slots, registers, memory, a global and select: the SIMD plumbing, no op emitter
    // (whose code depends on AVX); v128.const from the constant pool after the code.
    {"v128_moves",
     R"((module (memory 1) (global $g (mut v128) (v128.const i32x4 0 0 0 0))
          (func (param v128 i32) (result v128) (local v128)
            (local.set 2 (v128.load offset=16 (local.get 1)))
            (v128.store (local.get 1) (local.get 0))
            (global.set $g (local.get 2))
            (select (v128.const i32x4 1 2 3 4) (global.get $g) (local.get 1)))))",
     false, true},
    {"tail_calls",
     "(module (type $t (func (param i32) (result i32))) (table 1 funcref)"
     "  (func $f (param i32) (result i32) (return_call $f (i32.add (local.get 0) (i32.const 1))))"
     "  (func (param i32) (result i32) (return_call_indirect (type $t) (local.get 0) (local.get "
     "0))))"},
    // A null check is one test and branch: to the trap, or for br_on_null to the label.
    {"ref_null_branches",
     "(module (type $t (func))"
     "  (func (param (ref null $t) (ref null $t)) (result (ref $t))"
     "    (block $null (return (br_on_null $null (local.get 0))))"
     "    (ref.as_non_null (local.get 1)))"
     "  (func (param (ref null $t) i32) (result i32)"
     "    (block $some (result i32 (ref $t))"
     "      (br_on_non_null $some (local.get 1) (local.get 0))"
     "      (return (i32.const -1)))"
     "    (drop)))"},
    // call_ref is call_indirect's inline path without the table: a null check, then the
    // instance compare and the code table.
    {"call_ref",
     "(module (type $t (func (param i32) (result i32)))"
     "  (func (param (ref null $t) i32) (result i32) (call_ref $t (local.get 1) (local.get 0)))"
     "  (func (param (ref null $t) i32) (result i32)"
     "    (return_call_ref $t (local.get 1) (local.get 0))))"},
    // i31 boxing and unboxing are shifts, ref.eq a 64-bit compare, a cast to a top type a null
    // check; a field read is a helper call.
    {"gc_inline",
     "(module (type $s (struct (field i32)))"
     "  (func (param i32 eqref) (result i32)"
     "    (i31.get_s (ref.cast (ref i31) (local.get 1)))"
     "    (i32.add (ref.eq (ref.i31 (local.get 0)) (local.get 1)))"
     "    (i32.add (ref.is_null (ref.cast (ref any) (local.get 1)))))"
     "  (func (param (ref null $s)) (result i32) (struct.get $s 0 (local.get 0))))"},
};

std::string golden_path(const Isa& isa, const GoldenCase& c) {
  return std::string(TERN_SOURCE_DIR) + "/tests/jit/golden/" + isa.name + "/" + c.name + ".txt";
}

// Compares a listing with its golden file (TERN_UPDATE_GOLDEN=1 rewrites the file instead).
void check_golden(const std::string& path, const std::string& listing) {
  INFO(path << " (TERN_UPDATE_GOLDEN=1 rewrites it; read the diff)");
  if (std::getenv("TERN_UPDATE_GOLDEN")) {
    std::ofstream(path) << listing;
    return;
  }
  std::ifstream in(path);
  REQUIRE(in);
  std::stringstream expected;
  expected << in.rdbuf();
  CHECK(listing == expected.str());
}

void check_goldens(const Isa& isa) {
  for (const GoldenCase& c : kGoldenCases) {
    if (c.uses_optional_x64_features && &isa == &kX64) continue;
    // (and only where the host compiles SIMD: the compiler asks the host's backend)
    if (c.uses_simd && (&isa == &kA64 || !jit::backend_compiles_simd(Opcode::V128Const))) continue;
    check_golden(golden_path(isa, c), without_addresses(listing_of(isa, c.wat)));
  }
}

// Representative x86-64 SIMD op code, one function each: the op emitters choose between SSE4.1
// and AVX forms, so each case is listed for both, with the features set rather than detected.
struct SimdGoldenCase {
  const char* name;
  const char* wat;
};

const SimdGoldenCase kX64SimdCases[] = {
    // SSE4.1 has no 64-bit signed compare: a borrow and dword compares; AVX uses pcmpgtq.
    {"i64x2_gt_s",
     "(module (func (param v128 v128) (result v128) (i64x2.gt_s (local.get 0) (local.get 1))))"},
    // minps both ways round, NaN lanes from cmpunordps take a + b.
    {"f32x4_min",
     "(module (func (param v128 v128) (result v128) (f32x4.min (local.get 0) (local.get 1))))"},
    // A constant pshufb table per source; swizzle saturates indices from 16 to zero lanes.
    {"i8x16_shuffle_swizzle",
     "(module (func (param v128 v128) (result v128)"
     "  (i8x16.swizzle"
     "    (i8x16.shuffle 0 17 2 19 4 21 6 23 8 25 10 27 12 29 14 31 (local.get 0) (local.get 1))"
     "    (local.get 1))))"},
    {"i32x4_trunc_sat_f32x4_u",
     "(module (func (param v128) (result v128) (i32x4.trunc_sat_f32x4_u (local.get 0))))"},
    // A 64-bit memory: the bounds check before the access, which is the fault site.
    {"v128_load_memory64",
     "(module (memory i64 1) (func (param i64) (result v128) (v128.load offset=32 (local.get "
     "0))))"},
    {"i32x4_relaxed_dot_i8x16_i7x16_add_s",
     "(module (func (param v128 v128 v128) (result v128)"
     "  (i32x4.relaxed_dot_i8x16_i7x16_add_s (local.get 0) (local.get 1) (local.get 2))))"},
};

// Sets the x86-64 backend's features for one scope (listings only: nothing runs).
class ForcedX64Features {
 public:
  explicit ForcedX64Features(bool avx) : saved_(jit::x64_backend::host_features()) {
    jit::x64_backend::HostFeatures f;
    f.sse41 = f.popcnt = f.lzcnt = f.bmi1 = true;
    f.avx = avx;
    jit::x64_backend::override_host_features(f);
  }
  ~ForcedX64Features() { jit::x64_backend::override_host_features(saved_); }

 private:
  jit::x64_backend::HostFeatures saved_;
};

}  // namespace

TEST_CASE("golden: the x86-64 listings match tests/jit/golden/x64") {
  check_goldens(kX64);
}

TEST_CASE("golden: the AArch64 listings match tests/jit/golden/a64") {
  check_goldens(kA64);
}

TEST_CASE("golden: x86-64 SIMD listings, SSE4.1 and AVX, match tests/jit/golden/x64_simd") {
  for (bool avx : {false, true}) {
    ForcedX64Features features(avx);
    for (const SimdGoldenCase& c : kX64SimdCases) {
      std::string path = std::string(TERN_SOURCE_DIR) + "/tests/jit/golden/x64_simd/" + c.name +
                         (avx ? ".avx" : ".sse41") + ".txt";
      check_golden(path, without_addresses(listing_of(kX64, c.wat)));
    }
  }
}

TEST_CASE("golden: v128 constants are read once each from a pool after the code") {
  if (!jit::backend_compiles_simd(Opcode::V128Const)) return;  // x86-64 with SSE4.1 only
  Engine engine;
  Module m = test::must_compile(engine, R"((module
    (func (result v128) (v128.const i32x4 1 2 3 4))
    (func (result v128) (v128.const i32x4 1 2 3 4))
    (func (result v128) (v128.const i32x4 5 6 7 8))
    (func (result v128) (v128.const i32x4 0 0 0 0))))");
  const rt::CompiledModule& module = *detail::Access::module(m);
  std::unique_ptr<jit::ModuleAssembler> masm = jit::make_x64_assembler(true);
  std::vector<jit::Label> labels;
  for (size_t i = 0; i < module.info.bodies.size(); ++i) labels.push_back(masm->new_label());
  std::deque<uint64_t> fuel_cells;
  for (uint32_t i = 0; i < labels.size(); ++i) {
    jit::FuncCompiler compiler(*masm, module, labels, 0, nullptr, fuel_cells, engine.config());
    REQUIRE(validate_function(module.info, i, &compiler).ok());
  }
  jit::CodeBlock block;
  REQUIRE(masm->finalize(block).ok());
  std::string s = masm->listing();
  // Two distinct constants, each once, 16-byte aligned after the last function; all zeros is
  // an xorps.
  std::smatch pool;
  REQUIRE(std::regex_search(s, pool,
                            std::regex("int3\n(align 16\n(L[0-9]+):\n.*\n(L[0-9]+):\n.*\n)$")));
  CHECK(std::regex_search(s, std::regex("movdqa xmm0, xmmword ptr \\[" + pool[2].str() + "\\]")));
  CHECK(std::regex_search(s, std::regex("movdqa xmm0, xmmword ptr \\[" + pool[3].str() + "\\]")));
  CHECK_THAT(s, Catch::Contains("xorps xmm0, xmm0"));
  if (std::getenv("TERN_PRINT_LISTING")) std::fputs(s.c_str(), stderr);
}

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

TEST_CASE("golden: a memory64 load is one compare and one branch before the access") {
  std::string s = listing_of(
      "(module (memory i64 1) (func (param i64) (result i32) (i32.load offset=16 (local.get 0))))");
  // addr + 20 saturated on a carry, compared with the byte length; then memory 0's access.
  CHECK_THAT(s, Catch::Contains("mov rcx, rbx\n"
                                "add rcx, 20\n"
                                "sbb rdx, rdx\n"
                                "or rcx, rdx\n"
                                "cmp rcx, qword ptr [rax+"));
  CHECK_THAT(s, Catch::Contains("mov eax, ebx\n"
                                "mov ebx, dword ptr [r14+rax+16]\n"));
}

TEST_CASE("golden: a load from memory 1 takes its base from the instance, without a check") {
  std::string s = listing_of(
      "(module (memory 1) (memory 1)"
      "  (func (param i32) (result i32) (i32.load 1 offset=16 (local.get 0))))");
  CHECK_THAT(s, Catch::Contains("mov eax, ebx\n"
                                "mov ebx, dword ptr [rsi+rax+16]\n"));
  CHECK_THAT(s, !Catch::Contains("ja L"));
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
  // The head takes both locals in registers: the counter kept since its set, the bound loaded.
  CHECK_THAT(s, Catch::Contains("mov ebx, 0\n"
                                "mov rsi, qword ptr [rsp]\n"
                                "L"));
  // The add goes into the counter's register, and the comparison reads both registers.
  CHECK_THAT(s, Catch::Contains("add ebx, 1\n"
                                "cmp ebx, esi\n"));
  // Its slot ([rsp+8]) is neither read nor written after the prologue zeroes it.
  CHECK_THAT(s, !Catch::Contains("qword ptr [rsp+8], rbx"));
  CHECK_THAT(s, !Catch::Contains(", qword ptr [rsp+8]"));
}

TEST_CASE("golden: memcmp's byte loop keeps its pointers and count in registers") {
  std::string s = listing_of(
      "(module (memory 1) (func (param i32 i32 i32) (result i32) (local i32 i32 i32)"
      "  (local.set 3 (i32.const 0))"
      "  (block"
      "    (br_if 0 (i32.eqz (local.get 2)))"
      "    (block"
      "      (loop"
      "        (br_if 1 (i32.ne (local.tee 4 (i32.load8_u (local.get 0)))"
      "                         (local.tee 5 (i32.load8_u (local.get 1)))))"
      "        (local.set 1 (i32.add (local.get 1) (i32.const 1)))"
      "        (local.set 0 (i32.add (local.get 0) (i32.const 1)))"
      "        (br_if 0 (local.tee 2 (i32.add (local.get 2) (i32.const -1))))"
      "        (br 2)))"
      "    (local.set 3 (i32.sub (local.get 4) (local.get 5))))"
      "  (local.get 3)))");
  // The pointers are read in place; the first byte loads into local 4's register (a head
  // local), the second becomes local 5's register by its tee.
  CHECK_THAT(s, Catch::Contains("mov eax, ebx\n"
                                "movzx r8d, byte ptr [r14+rax]\n"
                                "mov eax, esi\n"
                                "movzx r9d, byte ptr [r14+rax]\n"
                                "cmp r8d, r9d\n"));
  // Each `x = x + c` is one add; br_if tests the count's register; only local 5, which the
  // head does not hold, is written back on the back edge.
  CHECK_THAT(s, Catch::Contains("add esi, 1\n"
                                "add ebx, 1\n"
                                "add edi, -1\n"
                                "mov qword ptr [rsp+40], r9\n"
                                "test edi, edi\n"
                                "short jne L"));
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
                                "call L4\n"));  // L0-L3: the entry trampoline and its routines
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
