// The AArch64 backend's v128 plumbing and memory forms (a64_simd.h).
#include "jit/a64/a64_simd.h"

#include "jit/a64/a64_simd_ops.h"

namespace tern::jit::a64_backend {

using namespace asmjit;
using a64::Inst;
using O = Opcode;

namespace {

a64::VecV q(Reg r) {
  return a64::v(r);  // whole-register loads and stores take the V view as the Q register
}

// The scalar view of register `id` that a `bytes`-byte access loads or stores.
a64::Vec scalar(uint32_t id, uint32_t bytes) {
  switch (bytes) {
    case 1:
      return a64::v(id).b();
    case 2:
      return a64::v(id).h();
    case 4:
      return a64::s(id);
    case 8:
      return a64::d(id);
    default:
      return a64::v(id).q();
  }
}

// The load forms: bytes read, and how they become the v128.
enum class LoadShape { Whole, Extend, Splat, Zero, Lane };
struct LoadForm {
  LoadShape shape;
  uint8_t bytes;
  InstId widen = 0;  // Extend: sxtl or uxtl from the 8 loaded bytes
};

// clang-format off
std::optional<LoadForm> load_form(Opcode op) {
  switch (op) {
    case O::V128Load: return LoadForm{LoadShape::Whole, 16};
    case O::V128Load8x8S: return LoadForm{LoadShape::Extend, 1, Inst::kIdSxtl_v};
    case O::V128Load8x8U: return LoadForm{LoadShape::Extend, 1, Inst::kIdUxtl_v};
    case O::V128Load16x4S: return LoadForm{LoadShape::Extend, 2, Inst::kIdSxtl_v};
    case O::V128Load16x4U: return LoadForm{LoadShape::Extend, 2, Inst::kIdUxtl_v};
    case O::V128Load32x2S: return LoadForm{LoadShape::Extend, 4, Inst::kIdSxtl_v};
    case O::V128Load32x2U: return LoadForm{LoadShape::Extend, 4, Inst::kIdUxtl_v};
    case O::V128Load8Splat: return LoadForm{LoadShape::Splat, 1};
    case O::V128Load16Splat: return LoadForm{LoadShape::Splat, 2};
    case O::V128Load32Splat: return LoadForm{LoadShape::Splat, 4};
    case O::V128Load64Splat: return LoadForm{LoadShape::Splat, 8};
    case O::V128Load32Zero: return LoadForm{LoadShape::Zero, 4};
    case O::V128Load64Zero: return LoadForm{LoadShape::Zero, 8};
    case O::V128Load8Lane: return LoadForm{LoadShape::Lane, 1};
    case O::V128Load16Lane: return LoadForm{LoadShape::Lane, 2};
    case O::V128Load32Lane: return LoadForm{LoadShape::Lane, 4};
    case O::V128Load64Lane: return LoadForm{LoadShape::Lane, 8};
    default: return std::nullopt;
  }
}

uint32_t store_bytes(Opcode op) {
  switch (op) {
    case O::V128Store8Lane: return 1;
    case O::V128Store16Lane: return 2;
    case O::V128Store32Lane: return 4;
    case O::V128Store64Lane: return 8;
    default: return 16;  // v128.store
  }
}
// clang-format on

}  // namespace

// Slot s covers s.index (bytes 0-7) and s.index + 1 (bytes 8-15), as copy_slot copies them one
// by one. Operand slots grow upwards, so that is 16 bytes from slot s.index's address: one q
// access. Spare slots grow downwards from the frame pointer: their halves are in reverse order
// in memory, an access each.
void A64SimdAssembler::load_slot(Reg dst, Slot src) {
  if (src.kind == Slot::Kind::Operand) {
    m_.access(Inst::kIdLdr_v, Inst::kIdLdur_v, q(dst), a64::sp, int64_t(src.index) * 8, 16);
    return;
  }
  m_.slot_access(Inst::kIdLdr_v, Inst::kIdLdur_v, a64::d(dst), src);
  m_.slot_access(Inst::kIdLdr_v, Inst::kIdLdur_v, kVecTmp.d(), Slot{src.kind, src.index + 1});
  m_.a_.ins(a64::v(dst).d(1), kVecTmp.d(0));
}
void A64SimdAssembler::store_slot(Slot dst, Reg src) {
  if (dst.kind == Slot::Kind::Operand) {
    m_.access(Inst::kIdStr_v, Inst::kIdStur_v, q(src), a64::sp, int64_t(dst.index) * 8, 16);
    return;
  }
  m_.slot_access(Inst::kIdStr_v, Inst::kIdStur_v, a64::d(src), dst);
  m_.a_.ins(kVecTmp.d(0), a64::v(src).d(1));
  m_.slot_access(Inst::kIdStr_v, Inst::kIdStur_v, kVecTmp.d(), Slot{dst.kind, dst.index + 1});
}
void A64SimdAssembler::mov(Reg dst, Reg src) {
  if (dst != src) m_.a_.mov(a64::v(dst).b16(), a64::v(src).b16());
}
void A64SimdAssembler::mov_imm(Reg dst, const V128& bits) {
  load_v128_constant(m_.a_, a64::v(dst), bits);
}

// A global's Cell holds a v128 in its 16 bytes.
void A64SimdAssembler::load_global(Reg dst, uint32_t index) {
  m_.access(Inst::kIdLdr, Inst::kIdLdur, kTmp, kGlobals, int64_t(index) * 8, 8);
  m_.access(Inst::kIdLdr_v, Inst::kIdLdur_v, q(dst), kTmp, offsetof(rt::GlobalInstance, value), 16);
}
void A64SimdAssembler::store_global(uint32_t index, Reg src) {
  m_.access(Inst::kIdLdr, Inst::kIdLdur, kTmp, kGlobals, int64_t(index) * 8, 8);
  m_.access(Inst::kIdStr_v, Inst::kIdStur_v, q(src), kTmp, offsetof(rt::GlobalInstance, value), 16);
}

void A64SimdAssembler::select(Reg dst, Reg other, Reg cond) {
  asmjit::Label keep = m_.a_.newLabel();
  m_.a_.cbnz(A64Assembler::w(cond), keep);
  m_.a_.mov(a64::v(dst).b16(), a64::v(other).b16());
  m_.a_.bind(keep);
}

// Operand registers become machine registers: Fp indices are v0-v29 as they are, general-purpose
// ones go through the allocatable list.
void A64SimdAssembler::op(Opcode op, Reg dst, std::span<const Reg> srcs, const V128& imm) {
  std::string_view sig = info(op).sig;
  auto machine = [](char type, Reg r) {
    return type == 'i' || type == 'l' ? kAllocatable[r] : uint32_t(r);
  };
  SimdOperands o;
  o.dst = machine(sig.back(), dst);
  for (size_t i = 0; i < srcs.size() && i < 3; ++i) o.srcs[i] = machine(sig[i], srcs[i]);
  o.imm = imm;
  emit_simd_op(m_.a_, op, o);
}

void A64SimdAssembler::fault_site() {
  m_.buffer_.add_fault_site(m_.last_instruction());
}

void A64SimdAssembler::load(Opcode op, const MemAccess& a, Reg dst, Reg addr, uint64_t offset,
                            Reg lane_src, uint8_t lane) {
  LoadForm f = *load_form(op);
  a64::Mem at = m_.address(a, addr, offset);
  a64::VecV v = a64::v(dst);
  switch (f.shape) {
    case LoadShape::Whole:
      m_.a_.ldr(q(dst), at);
      fault_site();
      break;
    case LoadShape::Extend:
      m_.a_.ldr(a64::d(dst), at);
      fault_site();
      m_.a_.emit(f.widen, lanes(dst, f.bytes * 2), lanes(dst, f.bytes, true));
      break;
    case LoadShape::Splat:
      m_.a_.ldr(scalar(dst, f.bytes), at);
      fault_site();
      m_.a_.dup(lanes(dst, f.bytes), element(dst, f.bytes, 0));
      break;
    case LoadShape::Zero:  // a scalar load clears the rest of the register
      m_.a_.ldr(scalar(dst, f.bytes), at);
      fault_site();
      break;
    case LoadShape::Lane:
      m_.a_.ldr(scalar(kVecTmp.id(), f.bytes), at);
      fault_site();
      if (dst != lane_src) m_.a_.mov(v.b16(), a64::v(lane_src).b16());
      m_.a_.ins(element(dst, f.bytes, lane % (16 / f.bytes)), element(kVecTmp.id(), f.bytes, 0));
      break;
  }
}

void A64SimdAssembler::store(Opcode op, const MemAccess& a, Reg addr, uint64_t offset, Reg value,
                             uint8_t lane) {
  uint32_t bytes = store_bytes(op);
  if (bytes == 16) {
    // A q store that straddles the end of memory may write its in-bounds half before it faults
    // (the architecture allows it; qemu does it). Storing the high half first means the first
    // store to fault is the first store made, so a trapping v128.store writes nothing.
    m_.a_.ins(kVecTmp.d(0), a64::v(value).d(1));
    m_.a_.str(a64::d(kVecTmp.id()), m_.address(a, addr, offset + 8));
    fault_site();
    m_.a_.str(a64::d(value), m_.address(a, addr, offset));
    fault_site();
    return;
  }
  a64::Mem at = m_.address(a, addr, offset);
  uint32_t from = value;
  lane %= 16 / bytes;
  if (bytes < 16 && lane != 0) {
    // The lane moves to lane 0 of v31, whose scalar view is stored.
    m_.a_.ins(element(kVecTmp.id(), bytes, 0), element(value, bytes, lane));
    from = kVecTmp.id();
  }
  m_.a_.str(scalar(from, bytes), at);
  fault_site();
}

}  // namespace tern::jit::a64_backend

namespace tern::jit::a64_backend {

SimdAssembler* A64Assembler::simd() {
  if (!simd_) simd_ = std::make_unique<A64SimdAssembler>(*this);
  return simd_.get();
}

}  // namespace tern::jit::a64_backend
