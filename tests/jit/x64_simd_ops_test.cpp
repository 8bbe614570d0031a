// The x64 code of every computational SIMD op (jit/x64/x64_simd_ops.h), run on its own and
// compared bit for bit with the interpreter's lane functions (engine/interp/simd.h). Each op is
// assembled into a tiny function that loads its operands from a frame into registers of the
// right class, runs the op's code and stores the result and the sources back; it runs with dst
// distinct and dst = srcs[0], with one register for all v128 sources, with two register
// assignments, and with and without AVX when the host has it. x86-64 hosts only (CMakeLists).
#include "jit/x64/x64_simd_ops.h"

#include <asmjit/x86.h>

#include <algorithm>
#include <bit>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "engine/interp/simd.h"
#include "engine/opcodes.h"

using namespace tern;
using namespace asmjit;

namespace {

namespace simd = interp::simd;

bool is_computational_simd(Opcode op) {
  const OpcodeInfo& i = info(op);
  return i.prefix == 0xFD && i.imm != ImmKind::MemArg && i.imm != ImmKind::MemArgLane &&
         i.imm != ImmKind::V128;
}

// What the generated function reads and writes (its only argument, in rdi).
struct Frame {
  V128 v[3];
  uint64_t g[3];
  V128 out_v;
  uint64_t out_g;
  V128 v_after[3];
  uint64_t g_after[3];
};

// Constants after the code, 16-byte aligned, addressed RIP-relative.
class TestConstantPool final : public jit::X64ConstantPool {
 public:
  explicit TestConstantPool(x86::Assembler& as) : as_(as) {}
  x86::Mem constant(const V128& bits) override {
    for (auto& [value, label] : entries_) {
      if (value == bits) return x86::ptr(label, 0, 16);
    }
    entries_.emplace_back(bits, as_.newLabel());
    return x86::ptr(entries_.back().second, 0, 16);
  }
  void embed() {
    as_.align(AlignMode::kData, 16);
    for (auto& [value, label] : entries_) {
      as_.bind(label);
      as_.embed(value.bytes, 16);
    }
  }

 private:
  x86::Assembler& as_;
  std::vector<std::pair<V128, Label>> entries_;
};

class ErrorRecorder final : public ErrorHandler {
 public:
  void handleError(Error, const char* message, BaseEmitter*) override { errors += message; }
  std::string errors;
};

// Two assignments of registers, low and high (REX-encoded) ones.
struct Registers {
  x86::Xmm v[3], dst, scratch[2];
  x86::Gp g[3], gdst, gscratch;
};
const Registers kRegisterSets[] = {
    {{x86::xmm1, x86::xmm2, x86::xmm3},
     x86::xmm0,
     {x86::xmm14, x86::xmm15},
     {x86::rsi, x86::rdx, x86::r8},
     x86::rax,
     x86::rcx},
    {{x86::xmm9, x86::xmm10, x86::xmm11},
     x86::xmm12,
     {x86::xmm5, x86::xmm6},
     {x86::r9, x86::r10, x86::r11},
     x86::r8,
     x86::rsi},
};

bool is_gp(char type) {
  return type == 'i' || type == 'l';
}

struct Variant {
  const Registers* regs;
  bool dst_is_src0;
  bool one_v128_register;  // every v128 source in srcs[0]'s register
  bool avx;
  // A shift by this constant count (X64SimdOperands::constant_count): srcs holds only the v128.
  std::optional<uint32_t> constant_count = std::nullopt;
};

using Fn = void (*)(Frame*);

// Assembles `op` for one variant. The sources are loaded whole (f32/f64 operands carry junk in
// their upper lanes), dst and the scratch registers start as junk.
Fn assemble(JitRuntime& rt, Opcode op, const V128& imm, const Variant& var, std::string& errors) {
  std::string_view sig = info(op).sig;
  std::string_view params = sig.substr(0, sig.find('_'));
  char result = sig.back();
  CodeHolder code;
  code.init(rt.environment());
  ErrorRecorder recorder;
  code.setErrorHandler(&recorder);
  x86::Assembler as(&code);
  TestConstantPool pool(as);
  const Registers& r = *var.regs;
  const x86::Gp frame = x86::rdi;

  jit::X64SimdOperands o;
  size_t in_regs = var.constant_count ? 1 : params.size();
  o.num_srcs = uint32_t(in_regs);
  for (size_t i = 0; i < in_regs; ++i) {
    if (is_gp(params[i])) {
      o.srcs[i] = r.g[i];
      as.mov(r.g[i], x86::qword_ptr(frame, offsetof(Frame, g) + 8 * i));
    } else {
      o.srcs[i] = params[i] == 'v' && var.one_v128_register ? r.v[0] : r.v[i];
      as.movdqu(o.srcs[i].as<x86::Xmm>(), x86::ptr(frame, offsetof(Frame, v) + 16 * i));
    }
  }
  bool same_class = is_gp(result) == is_gp(params[0]);
  if (var.dst_is_src0 && same_class) {
    o.dst = o.srcs[0];
  } else if (is_gp(result)) {
    o.dst = r.gdst;
    as.mov(r.gdst, Imm(0x5A5A'5A5A'5A5A'5A5Aull));
  } else {
    o.dst = r.dst;
    as.pcmpeqd(r.dst, r.dst);
  }
  o.scratch[0] = r.scratch[0];
  o.scratch[1] = r.scratch[1];
  o.gp_scratch = r.gscratch;
  as.pcmpeqd(r.scratch[0], r.scratch[0]);
  as.pcmpeqd(r.scratch[1], r.scratch[1]);
  as.mov(r.gscratch, Imm(-1));
  o.imm = imm;
  if (var.constant_count) {
    o.constant_count = true;
    o.imm.bytes[0] = uint8_t(*var.constant_count & 63);
  }
  o.avx = var.avx;
  o.constants = &pool;

  jit::emit_x64_simd_op(as, op, o);

  if (is_gp(result))
    as.mov(x86::qword_ptr(frame, offsetof(Frame, out_g)), o.dst.as<x86::Gp>());
  else
    as.movdqu(x86::ptr(frame, offsetof(Frame, out_v)), o.dst.as<x86::Xmm>());
  for (size_t i = 0; i < in_regs; ++i) {
    if (is_gp(params[i]))
      as.mov(x86::qword_ptr(frame, offsetof(Frame, g_after) + 8 * i), o.srcs[i].as<x86::Gp>());
    else
      as.movdqu(x86::ptr(frame, offsetof(Frame, v_after) + 16 * i), o.srcs[i].as<x86::Xmm>());
  }
  as.ret();
  pool.embed();
  errors = recorder.errors;
  Fn fn = nullptr;
  if (errors.empty() && rt.add(&fn, &code) != kErrorOk) errors = "JitRuntime::add failed";
  return fn;
}

// ---- Inputs ------------------------------------------------------------------------------------

template <class T>
void add_lane_vectors(std::vector<V128>& out, const std::vector<T>& values) {
  constexpr int kLanes = int(16 / sizeof(T));
  size_t n = values.size();
  for (size_t k = 0; k < n; ++k) {
    V128 v;
    for (int i = 0; i < kLanes; ++i) {
      T x = values[(k + size_t(i) * 3) % n];  // a stride of 3 mixes neighbours across vectors
      std::memcpy(v.bytes + i * sizeof(T), &x, sizeof(T));
    }
    out.push_back(v);
  }
}

std::vector<V128> input_vectors() {
  std::vector<V128> out;
  add_lane_vectors<uint8_t>(out, {0,    1,    2,    0x0F, 0x10, 0x1F, 0x20, 0x40, 0x70, 0x7E, 0x7F,
                                  0x80, 0x81, 0x8F, 0xF0, 0xFE, 0xFF, 15,   16,   31,   32});
  add_lane_vectors<uint16_t>(out, {0, 1, 0x7F, 0x80, 0xFF, 0x100, 0x7FFE, 0x7FFF, 0x8000, 0x8001,
                                   0xFF00, 0xFF7F, 0xFF80, 0xFFFF, 0x4000, 0xC000});
  add_lane_vectors<uint32_t>(
      out, {0, 1, 0x7FFF, 0x8000, 0xFFFF, 0x10000, 0x7FFF'FFFF, 0x8000'0000, 0x8000'0001,
            0xFFFF'FFFF, 0xFFFF'8000, 0x1234'5678, 0xFFFF'FFFE, 0x0100'0000});
  add_lane_vectors<uint64_t>(
      out, {0, 1, 0x7FFF'FFFF, 0x8000'0000, 0xFFFF'FFFF, 0x1'0000'0000, 0x7FFF'FFFF'FFFF'FFFF,
            0x8000'0000'0000'0000, 0xFFFF'FFFF'FFFF'FFFF, 0xFFFF'FFFF'8000'0000,
            0x8000'0000'FFFF'FFFF, 0x0000'0001'FFFF'FFFF, 0xFFFF'FFFF'0000'0001});
  auto f = [](float x) { return std::bit_cast<uint32_t>(x); };
  add_lane_vectors<uint32_t>(
      out,
      {f(0.0f),           f(-0.0f),          f(INFINITY),      f(-INFINITY),     0x7FC0'0000,
       0xFFC0'0000,       0x7FA0'0001,       0xFF81'2345,      0x7FC1'2345,      0x0000'0001,
       0x807F'FFFF,       0x7F7F'FFFF,       f(1.0f),          f(-1.0f),         f(0.5f),
       f(-0.5f),          f(1.5f),           f(2.5f),          f(-2.5f),         f(0.49999997f),
       f(2147483648.0f),  f(-2147483648.0f), f(4294967296.0f), f(4294967040.0f), f(2147483520.0f),
       f(-2147483904.0f), f(8388607.5f),     f(1e10f),         f(-1e10f),        f(-0.9f),
       f(3.0f),           f(-3.5f)});
  auto d = [](double x) { return std::bit_cast<uint64_t>(x); };
  add_lane_vectors<uint64_t>(out, {d(0.0),
                                   d(-0.0),
                                   d(INFINITY),
                                   d(-INFINITY),
                                   0x7FF8'0000'0000'0000,
                                   0xFFF8'0000'0000'0000,
                                   0x7FF0'0000'0000'0001,
                                   0xFFF4'0000'0000'0001,
                                   0x7FF8'DEAD'BEEF'0000,
                                   0x0000'0000'0000'0001,
                                   0x7FEF'FFFF'FFFF'FFFF,
                                   d(1.0),
                                   d(-1.0),
                                   d(0.5),
                                   d(-0.5),
                                   d(1.5),
                                   d(2.5),
                                   d(-2.5),
                                   d(2147483647.0),
                                   d(2147483647.5),
                                   d(2147483648.0),
                                   d(-2147483648.0),
                                   d(-2147483648.5),
                                   d(-2147483649.0),
                                   d(4294967295.0),
                                   d(4294967295.5),
                                   d(4294967296.0),
                                   d(4503599627370496.0),
                                   d(4503599627370495.5),
                                   d(1e300),
                                   d(-1e300),
                                   d(1e-40),
                                   d(3.4028235677973366e38),
                                   d(-0.3),
                                   d(1e-310)});
  std::mt19937_64 rng(12);
  for (int k = 0; k < 24; ++k) {
    V128 v;
    for (int i = 0; i < 2; ++i) {
      uint64_t x = rng();
      std::memcpy(v.bytes + 8 * i, &x, 8);
    }
    out.push_back(v);
  }
  return out;
}

// General-purpose inputs: a lane value or a shift count in the low bits, junk above an i32.
std::vector<uint64_t> gp_inputs(char type) {
  std::vector<uint64_t> out;
  for (uint64_t c = 0; c <= 70; ++c) out.push_back(c);
  for (uint64_t x : {0x7Full, 0x80ull, 0xFFull, 0x7FFFull, 0x8000ull, 0xFFFFull, 0x7FFF'FFFFull,
                     0x8000'0000ull, 0xFFFF'FFFFull, 0x8000'0000'0000'0000ull,
                     0xFFFF'FFFF'FFFF'FFFFull, 0x1234'5678'9ABC'DEF0ull}) {
    out.push_back(x);
  }
  if (type == 'i') {
    for (uint64_t& x : out) x |= 0xA5A5'0000'0000'0000ull;  // ignored by i32 operands
  }
  return out;
}

// ---- The reference and the comparison ----------------------------------------------------------

struct Result {
  V128 v{};
  uint64_t g = 0;
};

Result reference(Opcode op, const V128& imm, const Frame& in) {
  std::string_view sig = info(op).sig;
  Result r;
  if (op == Opcode::I8x16Shuffle) {
    r.v = simd::shuffle(in.v[0], in.v[1], imm);
  } else if (auto f = simd::unary(op)) {
    r.v = f(in.v[0]);
  } else if (auto f = simd::binary(op)) {
    r.v = f(in.v[0], in.v[1]);
  } else if (auto f = simd::ternary(op)) {
    r.v = f(in.v[0], in.v[1], in.v[2]);
  } else if (auto f = simd::test(op)) {
    r.g = f(in.v[0]);
  } else if (auto f = simd::shift(op)) {
    r.v = f(in.v[0], uint32_t(in.g[1]));
  } else if (auto f = simd::splat(op)) {
    uint64_t bits = 0;
    if (is_gp(sig[0]))
      bits = in.g[0];
    else
      std::memcpy(&bits, in.v[0].bytes, sig[0] == 'f' ? 4 : 8);
    r.v = f(bits);
  } else if (auto f = simd::extract(op)) {
    uint64_t bits = f(in.v[0], imm.bytes[0]);
    if (is_gp(sig.back()))
      r.g = bits;
    else
      std::memcpy(r.v.bytes, &bits, sig.back() == 'f' ? 4 : 8);
  } else if (auto f = simd::replace(op)) {
    uint64_t bits = 0;
    if (is_gp(sig[1]))
      bits = in.g[1];
    else
      std::memcpy(&bits, in.v[1].bytes, 8);
    r.v = f(in.v[0], bits, imm.bytes[0]);
  }
  return r;
}

// The float lane width (4 or 8) of ops whose NaN results are any quiet NaN (the spec's
// arithmetic NaNs): which NaN the hardware passes on when both operands are NaN depends on the
// operand order the C++ compiler chose for the interpreter. 0 for bit-exact ops.
int nan_tolerant_width(Opcode op) {
  switch (op) {
    case Opcode::F32x4Add:
    case Opcode::F32x4Sub:
    case Opcode::F32x4Mul:
    case Opcode::F32x4Div:
    case Opcode::F32x4Sqrt:
    case Opcode::F32x4RelaxedMadd:
    case Opcode::F32x4RelaxedNmadd:
      return 4;
    case Opcode::F64x2Add:
    case Opcode::F64x2Sub:
    case Opcode::F64x2Mul:
    case Opcode::F64x2Div:
    case Opcode::F64x2Sqrt:
    case Opcode::F64x2RelaxedMadd:
    case Opcode::F64x2RelaxedNmadd:
      return 8;
    default:
      return 0;
  }
}

template <class U>
bool same_lanes(const V128& want, const V128& got) {
  constexpr int kBits = sizeof(U) * 8;
  constexpr int kMant = kBits == 32 ? 23 : 52;
  constexpr U kExp = U((U(1) << (kBits - 1 - kMant)) - 1) << kMant;
  constexpr U kQuiet = U(1) << (kMant - 1);
  auto is_nan = [&](U x) { return (x & kExp) == kExp && (x & ((U(1) << kMant) - 1)) != 0; };
  for (size_t i = 0; i < 16; i += sizeof(U)) {
    U w, g;
    std::memcpy(&w, want.bytes + i, sizeof(U));
    std::memcpy(&g, got.bytes + i, sizeof(U));
    if (w == g) continue;
    if (!(is_nan(w) && is_nan(g) && (g & kQuiet) != 0)) return false;
  }
  return true;
}

bool agrees(Opcode op, const Result& want, const Frame& got) {
  char result = info(op).sig.back();
  switch (result) {
    case 'i':
      return got.out_g == uint32_t(want.g) && want.g <= UINT32_MAX;
    case 'l':
      return got.out_g == want.g;
    case 'f':
      return std::memcmp(got.out_v.bytes, want.v.bytes, 4) == 0;
    case 'd':
      return std::memcmp(got.out_v.bytes, want.v.bytes, 8) == 0;
    default:
      switch (nan_tolerant_width(op)) {
        case 4:
          return same_lanes<uint32_t>(want.v, got.out_v);
        case 8:
          return same_lanes<uint64_t>(want.v, got.out_v);
        default:
          return want.v == got.out_v;
      }
  }
}

std::string hex(const V128& v) {
  std::ostringstream s;
  s << std::hex;
  for (int i = 15; i >= 0; --i) s << (v.bytes[i] < 16 ? "0" : "") << int(v.bytes[i]);
  return s.str();
}

std::string describe(Opcode op, const V128& imm, const Variant& var, const Frame& in,
                     const Result& want, const Frame& got) {
  std::ostringstream s;
  s << name_of(op) << " (imm " << hex(imm) << ", " << (var.dst_is_src0 ? "dst=src0" : "dst apart")
    << (var.one_v128_register ? ", one v128 register" : "") << (var.avx ? ", AVX" : ", SSE")
    << (var.constant_count ? ", constant count" : "") << ", regs "
    << (var.regs == &kRegisterSets[0] ? 0 : 1) << ")";
  std::string_view sig = info(op).sig;
  for (size_t i = 0; i < sig.find('_'); ++i) {
    s << "\n  src" << i << " = ";
    if (is_gp(sig[i]))
      s << std::hex << in.g[i] << std::dec;
    else
      s << hex(in.v[i]);
  }
  s << std::hex << "\n  want " << hex(want.v) << " / " << want.g << "\n  got  " << hex(got.out_v)
    << " / " << got.out_g;
  return s.str();
}

// The immediates an op is tried with: every lane; shuffle patterns; none.
std::vector<V128> immediates(Opcode op) {
  std::vector<V128> out;
  const OpcodeInfo& i = info(op);
  if (i.imm == ImmKind::Lane) {
    for (int lane = 0; lane < i.n; ++lane) out.push_back(V128{{uint8_t(lane)}});
  } else if (op == Opcode::I8x16Shuffle) {
    V128 identity, reverse, from_b, interleave, broadcast;
    for (int k = 0; k < 16; ++k) {
      identity.bytes[k] = uint8_t(k);
      reverse.bytes[k] = uint8_t(31 - k);
      from_b.bytes[k] = uint8_t(16 + (k * 5) % 16);
      interleave.bytes[k] = uint8_t(k / 2 + (k % 2) * 16);
      broadcast.bytes[k] = 3;
    }
    out = {identity, reverse, from_b, interleave, broadcast};
    std::mt19937 rng(7);
    for (int n = 0; n < 8; ++n) {
      V128 random;
      for (uint8_t& b : random.bytes) b = uint8_t(rng() % 32);
      out.push_back(random);
    }
  } else {
    out.push_back(V128{});
  }
  return out;
}

bool host_has_avx() {
  return CpuInfo::host().hasFeature(CpuFeatures::X86::kAVX);
}

// Runs `op` on every combination of inputs for one variant; failures are appended.
void check_variant(JitRuntime& rt, Opcode op, const V128& imm, const Variant& var,
                   const std::vector<V128>& vectors, std::vector<std::string>& failures) {
  std::string errors;
  Fn fn = assemble(rt, op, imm, var, errors);
  if (!fn) {
    failures.push_back(std::string(name_of(op)) + ": " + errors);
    return;
  }
  std::string_view sig = info(op).sig;
  std::string_view params = sig.substr(0, sig.find('_'));
  // Ternary ops: every third vector, so the cube stays small.
  std::vector<V128> few;
  for (size_t k = 0; k < vectors.size(); k += 3) few.push_back(vectors[k]);
  const std::vector<V128>& per_operand = params.size() == 3 ? few : vectors;

  std::vector<std::vector<uint64_t>> gp(params.size());
  size_t counts[3] = {1, 1, 1};
  for (size_t i = 0; i < params.size(); ++i) {
    if (is_gp(params[i])) gp[i] = gp_inputs(params[i]);
    // With one v128 register every v128 source is the same value: vary the first only.
    bool same_as_first = var.one_v128_register && i > 0 && params[i] == 'v';
    counts[i] = is_gp(params[i]) ? gp[i].size() : same_as_first ? 1 : per_operand.size();
  }
  if (var.constant_count) gp[1] = {*var.constant_count}, counts[1] = 1;
  size_t reported = 0;
  for (size_t i0 = 0; i0 < counts[0]; ++i0) {
    for (size_t i1 = 0; i1 < counts[1]; ++i1) {
      for (size_t i2 = 0; i2 < counts[2]; ++i2) {
        Frame in{};
        size_t idx[3] = {i0, i1, i2};
        for (size_t i = 0; i < params.size(); ++i) {
          bool same_as_first = var.one_v128_register && i > 0 && params[i] == 'v';
          if (is_gp(params[i]))
            in.g[i] = gp[i][idx[i]];
          else
            in.v[i] = per_operand[same_as_first ? idx[0] : idx[i]];
        }
        Frame got = in;
        fn(&got);
        Result want = reference(op, imm, in);
        bool sources_kept = true;
        for (size_t i = 0; i < (var.constant_count ? 1 : params.size()); ++i) {
          bool is_dst = i == 0 && var.dst_is_src0 && is_gp(params[0]) == is_gp(sig.back());
          bool shares_dst =
              var.dst_is_src0 && var.one_v128_register && params[i] == 'v' && sig.back() == 'v';
          if (is_dst || shares_dst) continue;
          sources_kept &= is_gp(params[i]) ? got.g_after[i] == in.g[i] : got.v_after[i] == in.v[i];
        }
        if ((!agrees(op, want, got) || !sources_kept) && reported++ < 4) {
          failures.push_back(describe(op, imm, var, in, want, got) +
                             (sources_kept ? "" : "\n  (a source register changed)"));
        }
      }
    }
  }
  rt.release(fn);
}

}  // namespace

TEST_CASE("x64 SIMD: every computational 0xFD op has code") {
  for (size_t k = 0; k < kOpcodeCount; ++k) {
    Opcode op = Opcode(k);
    INFO(name_of(op));
    CHECK(jit::x64_emits_simd_op(op) == is_computational_simd(op));
  }
}

TEST_CASE("x64 SIMD: the code of each op computes what the interpreter does") {
  JitRuntime rt;
  const std::vector<V128> vectors = input_vectors();
  std::vector<bool> avx_modes = {false};
  if (host_has_avx()) avx_modes.push_back(true);
  std::vector<std::string> failures;
  size_t ops = 0;
  for (size_t k = 0; k < kOpcodeCount; ++k) {
    Opcode op = Opcode(k);
    if (!jit::x64_emits_simd_op(op)) continue;
    ++ops;
    std::string_view sig = info(op).sig;
    bool has_two_v128 = std::count(sig.begin(), sig.begin() + sig.find('_'), 'v') > 1;
    for (const V128& imm : immediates(op)) {
      for (const Registers& regs : kRegisterSets) {
        for (bool avx : avx_modes) {
          for (bool dst_is_src0 : {false, true}) {
            for (bool one_register : {false, true}) {
              // A register holding two sources is a cached local, which dst never is.
              if (one_register && (!has_two_v128 || dst_is_src0)) continue;
              check_variant(rt, op, imm, Variant{&regs, dst_is_src0, one_register, avx}, vectors,
                            failures);
            }
          }
        }
      }
    }
  }
  for (size_t i = 0; i < failures.size() && i < 60; ++i) UNSCOPED_INFO(failures[i]);
  CHECK(failures.empty());
  CHECK(ops == 233);  // 213 of Wasm 2.0, 20 relaxed
}

TEST_CASE("x64 SIMD: shifts by a constant count compute what the interpreter does") {
  JitRuntime rt;
  const std::vector<V128> vectors = input_vectors();
  std::vector<bool> avx_modes = {false};
  if (host_has_avx()) avx_modes.push_back(true);
  std::vector<std::string> failures;
  size_t shifts = 0;
  for (size_t k = 0; k < kOpcodeCount; ++k) {
    Opcode op = Opcode(k);
    if (!jit::x64_simd_shift(op)) continue;
    ++shifts;
    for (uint64_t count : gp_inputs('i')) {
      for (const Registers& regs : kRegisterSets) {
        for (bool avx : avx_modes) {
          for (bool dst_is_src0 : {false, true}) {
            check_variant(rt, op, V128{}, Variant{&regs, dst_is_src0, false, avx, uint32_t(count)},
                          vectors, failures);
          }
        }
      }
    }
  }
  for (size_t i = 0; i < failures.size() && i < 60; ++i) UNSCOPED_INFO(failures[i]);
  CHECK(failures.empty());
  CHECK(shifts == 12);
}
