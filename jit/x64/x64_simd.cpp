#include "jit/x64/x64_simd.h"

#include <cstddef>
#include <cstring>
#include <string_view>

#include "engine/runtime/objects.h"
#include "jit/x64/x64_frame.h"

namespace tern::jit {

using namespace asmjit;
using namespace x64_backend;

namespace {

x86::Mem xmmword(x86::Mem m) {
  m.setSize(16);
  return m;
}

x86::Mem sized(x86::Mem m, uint32_t bytes) {
  m.setSize(bytes);
  return m;
}

bool is_memory_op(Opcode op) {
  ImmKind imm = info(op).imm;
  return imm == ImmKind::MemArg || imm == ImmKind::MemArgLane;
}

// The register of one operand or result of `op`, by its signature letter ("vi_v": v128, i32).
x86::Reg operand_reg(char type, Reg r) {
  return type == 'v' || type == 'f' || type == 'd' ? x86::Reg(xmm(r)) : x86::Reg(gpq(r));
}

}  // namespace

bool x64_backend::compiles_simd(Opcode op) {
  if (!host_features().sse41) return false;
  return op == Opcode::V128Const || is_memory_op(op) || x64_emits_simd_op(op);
}

void X64SimdAssembler::load_slot(Reg dst, Slot src) {
  a_.movdqu(xmm(dst), xmmword(slot_mem(src)));
}

void X64SimdAssembler::store_slot(Slot dst, Reg src) {
  a_.movdqu(xmmword(slot_mem(dst)), xmm(src));
}

void X64SimdAssembler::mov(Reg dst, Reg src) {
  if (dst != src) a_.movaps(xmm(dst), xmm(src));
}

void X64SimdAssembler::mov_imm(Reg dst, const V128& bits) {
  static constexpr V128 kZero{};
  V128 ones;
  std::memset(ones.bytes, 0xFF, sizeof ones.bytes);
  if (bits == kZero) {
    a_.xorps(xmm(dst), xmm(dst));
  } else if (bits == ones) {
    a_.pcmpeqd(xmm(dst), xmm(dst));
  } else {
    a_.movdqa(xmm(dst), constant(bits));
  }
}

// A global's Cell holds a v128 in its 16 bytes.
void X64SimdAssembler::load_global(Reg dst, uint32_t index) {
  a_.mov(x86::rax, x86::qword_ptr(kGlobals, int32_t(index * 8)));
  a_.movdqu(xmm(dst), x86::xmmword_ptr(x86::rax, offsetof(rt::GlobalInstance, value)));
}

void X64SimdAssembler::store_global(uint32_t index, Reg src) {
  a_.mov(x86::rax, x86::qword_ptr(kGlobals, int32_t(index * 8)));
  a_.movdqu(x86::xmmword_ptr(x86::rax, offsetof(rt::GlobalInstance, value)), xmm(src));
}

void X64SimdAssembler::select(Reg dst, Reg other, Reg cond) {
  asmjit::Label keep = a_.newLabel();
  a_.test(x86::gpd(kAllocatable[cond]), x86::gpd(kAllocatable[cond]));
  a_.jnz(keep);
  a_.movaps(xmm(dst), xmm(other));
  a_.bind(keep);
}

X64SimdOperands X64SimdAssembler::operands(Opcode op, Reg dst, std::span<const Reg> srcs,
                                           const V128& imm) {
  std::string_view sig = info(op).sig;  // e.g. "vi_v": the operands, then the result
  X64SimdOperands o;
  o.dst = operand_reg(sig.back(), dst);
  o.num_srcs = uint32_t(srcs.size());
  for (size_t i = 0; i < srcs.size(); ++i) o.srcs[i] = operand_reg(sig[i], srcs[i]);
  o.imm = imm;
  o.scratch[0] = kFpScratch;
  o.scratch[1] = kFpScratch2;
  o.gp_scratch = x86::rax;  // a scratch register: no operand is ever in it
  o.avx = host_features().avx;
  o.constants = this;
  return o;
}

void X64SimdAssembler::op(Opcode op, Reg dst, std::span<const Reg> srcs, const V128& imm) {
  emit_x64_simd_op(a_, op, operands(op, dst, srcs, imm));
}

// The count becomes the instruction's immediate and a byte shift's mask a constant: no trip
// through a general-purpose register and no mask built at run time.
bool X64SimdAssembler::shift_by_constant(Opcode op, Reg dst, Reg src, uint32_t count) {
  if (!x64_simd_shift(op)) return false;
  V128 imm{};
  imm.bytes[0] = uint8_t(count & 63);  // every lane width divides 64
  X64SimdOperands o = operands(op, dst, std::span<const Reg>(&src, 1), imm);
  o.constant_count = true;
  emit_x64_simd_op(a_, op, o);
  return true;
}

// Each access is the first instruction after its fault site, so that a fault there is the
// MemoryOutOfBounds trap; load_lane's copy of its operand goes before.
void X64SimdAssembler::load(Opcode op, const MemAccess& a, Reg dst, Reg addr, uint64_t offset,
                            Reg lane_src, uint8_t lane) {
  bool into_lane = info(op).imm == ImmKind::MemArgLane;
  if (into_lane) mov(dst, lane_src);
  x86::Mem at = memory_address(a_, a, addr, offset);
  buffer_.add_fault_site(a_.offset());
  x86::Xmm x = xmm(dst);
  switch (op) {
    case Opcode::V128Load:
      a_.movdqu(x, sized(at, 16));
      break;
    case Opcode::V128Load8x8S:
      a_.pmovsxbw(x, sized(at, 8));
      break;
    case Opcode::V128Load8x8U:
      a_.pmovzxbw(x, sized(at, 8));
      break;
    case Opcode::V128Load16x4S:
      a_.pmovsxwd(x, sized(at, 8));
      break;
    case Opcode::V128Load16x4U:
      a_.pmovzxwd(x, sized(at, 8));
      break;
    case Opcode::V128Load32x2S:
      a_.pmovsxdq(x, sized(at, 8));
      break;
    case Opcode::V128Load32x2U:
      a_.pmovzxdq(x, sized(at, 8));
      break;
    case Opcode::V128Load8Splat:
    case Opcode::V128Load16Splat: {
      // The byte or halfword times 0x01010101 or 0x00010001 fills a dword; pshufd copies it.
      bool bytes = op == Opcode::V128Load8Splat;
      a_.movzx(x86::eax, sized(at, bytes ? 1 : 2));
      a_.imul(x86::eax, x86::eax, bytes ? 0x01010101 : 0x00010001);
      a_.movd(x, x86::eax);
      a_.pshufd(x, x, 0);
      break;
    }
    case Opcode::V128Load32Splat:
      a_.movd(x, sized(at, 4));
      a_.pshufd(x, x, 0);
      break;
    case Opcode::V128Load64Splat:
      a_.movq(x, sized(at, 8));
      a_.punpcklqdq(x, x);
      break;
    case Opcode::V128Load32Zero:
      a_.movd(x, sized(at, 4));
      break;
    case Opcode::V128Load64Zero:
      a_.movq(x, sized(at, 8));
      break;
    case Opcode::V128Load8Lane:
      a_.pinsrb(x, sized(at, 1), lane);
      break;
    case Opcode::V128Load16Lane:
      a_.pinsrw(x, sized(at, 2), lane);
      break;
    case Opcode::V128Load32Lane:
      a_.pinsrd(x, sized(at, 4), lane);
      break;
    default:  // V128Load64Lane
      a_.pinsrq(x, sized(at, 8), lane);
      break;
  }
}

void X64SimdAssembler::store(Opcode op, const MemAccess& a, Reg addr, uint64_t offset, Reg value,
                             uint8_t lane) {
  x86::Mem at = memory_address(a_, a, addr, offset);
  buffer_.add_fault_site(a_.offset());
  x86::Xmm x = xmm(value);
  switch (op) {
    case Opcode::V128Store:
      a_.movdqu(sized(at, 16), x);
      break;
    case Opcode::V128Store8Lane:
      a_.pextrb(sized(at, 1), x, lane);
      break;
    case Opcode::V128Store16Lane:
      a_.pextrw(sized(at, 2), x, lane);
      break;
    case Opcode::V128Store32Lane:
      a_.pextrd(sized(at, 4), x, lane);
      break;
    default:  // V128Store64Lane
      a_.pextrq(sized(at, 8), x, lane);
      break;
  }
}

x86::Mem X64SimdAssembler::constant(const V128& bits) {
  std::array<uint8_t, 16> key;
  std::memcpy(key.data(), bits.bytes, 16);
  auto [it, added] = constants_.try_emplace(key);
  if (added) it->second = a_.newLabel();
  return x86::xmmword_ptr(it->second);
}

void X64SimdAssembler::place_constants() {
  if (constants_.empty()) return;
  a_.align(AlignMode::kData, 16);
  for (const auto& [bits, label] : constants_) {
    a_.bind(label);
    a_.embed(bits.data(), bits.size());
  }
  constants_.clear();
}

}  // namespace tern::jit
