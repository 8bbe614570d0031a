// The AArch64 backend's frame, moves, integer operations, memory and branches (a64_masm.h).
#include "jit/a64/a64_masm.h"

#include <asmjit/arm/a64utils.h>

#include <cstring>

#include "jit/common/runtime_layout.h"

namespace tern::jit {

namespace a64_backend {

using namespace asmjit;
using a64::Inst;
using arm::CondCode;

namespace {

// add/sub/cmp immediates: 12 bits (the form shifted left by 12 is not used: asmjit 1.9 rejects
// it for cmp).
bool is_arith_imm(uint64_t v) {
  return v < 4096;
}

uint32_t width_bits(Width w) {
  return w == Width::W32 ? 32 : 64;
}

// The immediate as the operation sees it: an i32's 32 bits, or an i64's 64.
uint64_t imm_bits(Width w, int64_t imm) {
  return w == Width::W32 ? uint64_t(uint32_t(imm)) : uint64_t(int64_t(imm));
}

a64::Gp tmp(Width w) {
  return w == Width::W32 ? a64::Gp(kTmp.w()) : a64::Gp(kTmp);
}

}  // namespace

CondCode cond_code(Cond c) {
  switch (c) {
    case Cond::Eq:
      return CondCode::kEQ;
    case Cond::Ne:
      return CondCode::kNE;
    case Cond::LtS:
      return CondCode::kLT;
    case Cond::LtU:
      return CondCode::kLO;
    case Cond::GtS:
      return CondCode::kGT;
    case Cond::GtU:
      return CondCode::kHI;
    case Cond::LeS:
      return CondCode::kLE;
    case Cond::LeU:
      return CondCode::kLS;
    case Cond::GeS:
      return CondCode::kGE;
    default:
      return CondCode::kHS;  // GeU
  }
}

A64Assembler::A64Assembler(bool with_listing, size_t code_size_hint)
    : buffer_(Arch::kAArch64, with_listing, code_size_hint) {
  buffer_.attach(a_);
}

uint32_t A64Assembler::num_regs(RegClass c) const {
  return c == RegClass::Gp ? uint32_t(std::size(kAllocatable)) : kNumFpRegs;
}

void A64Assembler::comment(const std::string& text) {
  if (buffer_.has_listing()) a_.comment(text.data(), text.size());
}

// ---- Addressing -------------------------------------------------------------------------------

void A64Assembler::move_imm(const a64::GpX& dst, uint64_t bits) {
  if (bits == 0) {
    a_.mov(dst, a64::xzr);
    return;
  }
  if (bits == UINT64_MAX) {
    a_.movn(dst, 0);
    return;
  }
  if (bits > UINT32_MAX && a64::Utils::isLogicalImm(bits, 64)) {
    a_.orr(dst, a64::xzr, bits);
    return;
  }
  // movn when most halfwords are all ones, movz otherwise; movk for the rest.
  int ones = 0, zeros = 0;
  for (int i = 0; i < 4; ++i) {
    uint16_t h = uint16_t(bits >> (16 * i));
    ones += h == 0xFFFF;
    zeros += h == 0;
  }
  bool inverted = ones > zeros;
  uint16_t skip = inverted ? 0xFFFF : 0;
  bool first = true;
  for (uint32_t i = 0; i < 4; ++i) {
    uint16_t h = uint16_t(bits >> (16 * i));
    if (h == skip) continue;
    if (first) {
      if (inverted) {
        a_.movn(dst, uint16_t(~h), arm::lsl(16 * i));
      } else if (bits <= UINT32_MAX) {
        a_.movz(dst.w(), h, arm::lsl(16 * i));
      } else {
        a_.movz(dst, h, arm::lsl(16 * i));
      }
      first = false;
    } else if (bits <= UINT32_MAX) {
      a_.movk(dst.w(), h, arm::lsl(16 * i));
    } else {
      a_.movk(dst, h, arm::lsl(16 * i));
    }
  }
}

void A64Assembler::move_address(const a64::GpX& dst, uint64_t address) {
  for (uint32_t i = 0; i < 4; ++i) {
    uint16_t h = uint16_t(address >> (16 * i));
    i == 0 ? a_.movz(dst, h, arm::lsl(0)) : a_.movk(dst, h, arm::lsl(16 * i));
    buffer_.add_address_site(last_instruction());
  }
}

a64::Mem A64Assembler::mem(const a64::GpX& base, int64_t offset, uint32_t size) {
  if (offset >= 0 && offset % size == 0 && offset / size < 4096) return a64::ptr(base, offset);
  if (offset >= -256 && offset < 256) return a64::ptr(base, int32_t(offset));
  move_imm(kAddr, uint64_t(offset));
  a_.add(kAddr, base, kAddr);
  return a64::ptr(kAddr);
}

void A64Assembler::access(InstId scaled, InstId unscaled, const Operand& reg, const a64::GpX& base,
                          int64_t offset, uint32_t size) {
  a64::Mem m = mem(base, offset, size);
  bool is_scaled = m.baseId() == kAddr.id() || (offset >= 0 && offset % size == 0);
  a_.emit(is_scaled ? scaled : unscaled, reg, m);
}

void A64Assembler::slot_access(InstId scaled, InstId unscaled, const Operand& reg, Slot s) {
  if (s.kind == Slot::Kind::Operand) {
    access(scaled, unscaled, reg, a64::sp, int64_t(s.index) * 8, 8);
  } else {
    access(scaled, unscaled, reg, a64::x29, -16 - int64_t(s.index) * 8, 8);
  }
}

void A64Assembler::slot_address(const a64::GpX& dst, Slot s) {
  if (s.kind == Slot::Kind::Operand) {
    uint64_t offset = uint64_t(s.index) * 8;
    if (is_arith_imm(offset)) {
      a_.add(dst, a64::sp, offset);
    } else {
      move_imm(dst, offset);
      a_.add(dst, a64::sp, dst);
    }
    return;
  }
  uint64_t below = 16 + uint64_t(s.index) * 8;
  if (below < 4096) {
    a_.sub(dst, a64::x29, below);
  } else {
    move_imm(dst, below);
    a_.sub(dst, a64::x29, dst);
  }
}

// ---- Frame ------------------------------------------------------------------------------------

void A64Assembler::begin_function(Label entry, uint32_t num_params, uint32_t num_locals,
                                  Label stack_exhausted) {
  a_.align(AlignMode::kCode, 16);
  bind(entry);
  buffer_.add_function(a_.offset());
  a_.stp(a64::x29, a64::x30, a64::ptr_pre(a64::sp, -16));
  a_.mov(a64::x29, a64::sp);
  // x16 = the frame size, patched in by finish_frame.
  a_.movz(kTmp, 0);
  frame_size_at_[0] = last_instruction();
  a_.movk(kTmp, 0, arm::lsl(16));
  frame_size_at_[1] = last_instruction();
  a_.sub(kTmp, a64::x29, kTmp);
  a_.mov(a64::sp, kTmp);
  a_.ldr(kTmp2, a64::ptr(kCtx, offsetof(JitContext, stack_limit)));
  a_.cmp(kTmp, kTmp2);
  a_.b(CondCode::kLO, lbl(stack_exhausted));
  // Borrows when no frame is left (a trap unwinds, so the count needs no repair).
  a_.ldr(kTmp2.w(), a64::ptr(kCtx, offsetof(JitContext, depth_left)));
  a_.subs(kTmp2.w(), kTmp2.w(), 1);
  a_.b(CondCode::kLO, lbl(stack_exhausted));
  a_.str(kTmp2.w(), a64::ptr(kCtx, offsetof(JitContext, depth_left)));
  a_.stur(a64::x0, a64::ptr(a64::x29, -8));
  for (uint32_t i = 0; i < num_params; ++i) {
    access(Inst::kIdLdr, Inst::kIdLdur, kTmp, a64::x0, int64_t(i) * 8, 8);
    store_slot_from(kTmp, Slot{Slot::Kind::Operand, i});
  }
  zero_operand_slots(num_params, num_locals);
}

uint32_t A64Assembler::finish_frame(uint32_t operand_slots, uint32_t spare_slots) {
  uint64_t bytes = (uint64_t(operand_slots) + spare_slots + 1) * 8;
  bytes = (bytes + 15) & ~uint64_t(15);
  // movz and movk keep their 16-bit immediate in bits 5-20.
  for (uint32_t i = 0; i < 2; ++i) {
    uint8_t* at = buffer_.data() + frame_size_at_[i];
    uint32_t word;
    std::memcpy(&word, at, 4);
    word |= uint32_t((bytes >> (16 * i)) & 0xFFFF) << 5;
    std::memcpy(at, &word, 4);
  }
  buffer_.fill_jump_tables();
  buffer_.resolve_safepoints(uint32_t(bytes));
  return uint32_t(bytes);
}

void A64Assembler::return_from_function(Slot results, uint32_t num_results) {
  if (num_results) a_.ldur(kTmp, a64::ptr(a64::x29, -8));
  for (uint32_t i = 0; i < num_results; ++i) {
    slot_access(Inst::kIdLdr, Inst::kIdLdur, kTmp2, Slot{results.kind, results.index + i});
    access(Inst::kIdStr, Inst::kIdStur, kTmp2, kTmp, int64_t(i) * 8, 8);
  }
  a_.ldr(kTmp2.w(), a64::ptr(kCtx, offsetof(JitContext, depth_left)));
  a_.add(kTmp2.w(), kTmp2.w(), 1);
  a_.str(kTmp2.w(), a64::ptr(kCtx, offsetof(JitContext, depth_left)));
  a_.mov(a64::sp, a64::x29);
  a_.ldp(a64::x29, a64::x30, a64::ptr_post(a64::sp, 16));
  a_.ret(a64::x30);
}

void A64Assembler::store_slot_from(const a64::GpX& src, Slot dst) {
  slot_access(Inst::kIdStr, Inst::kIdStur, src, dst);
}

// Operand slots [from, to) become 0: one store each for a few, a loop for many.
void A64Assembler::zero_operand_slots(uint32_t from, uint32_t to) {
  if (from >= to) return;
  constexpr uint32_t kMaxStores = 8;
  if (to - from <= kMaxStores) {
    for (uint32_t i = from; i < to; ++i) store_slot_from(a64::xzr, Slot{Slot::Kind::Operand, i});
    return;
  }
  asmjit::Label loop = a_.newLabel();
  slot_address(kTmp, Slot{Slot::Kind::Operand, from});
  move_imm(kTmp2, to - from);
  a_.bind(loop);
  a_.str(a64::xzr, a64::ptr_post(kTmp, 8));
  a_.subs(kTmp2, kTmp2, 1);
  a_.b(CondCode::kNE, loop);
}

// ---- Moves ------------------------------------------------------------------------------------

void A64Assembler::load_slot(Reg dst, Slot src) {
  slot_access(Inst::kIdLdr, Inst::kIdLdur, x(dst), src);
}
void A64Assembler::store_slot(Slot dst, Reg src) {
  store_slot_from(x(src), dst);
}
void A64Assembler::store_slot_imm(Slot dst, uint64_t bits) {
  if (bits == 0) {
    store_slot_from(a64::xzr, dst);
    return;
  }
  move_imm(kTmp, bits);
  store_slot_from(kTmp, dst);
}
void A64Assembler::copy_slot(Slot dst, Slot src) {
  if (dst.kind == src.kind && dst.index == src.index) return;
  slot_access(Inst::kIdLdr, Inst::kIdLdur, kTmp, src);
  store_slot_from(kTmp, dst);
}
void A64Assembler::load_slot_fp(Reg dst, Slot src) {
  slot_access(Inst::kIdLdr_v, Inst::kIdLdur_v, d(dst), src);
}
void A64Assembler::store_slot_fp(Slot dst, Reg src) {
  slot_access(Inst::kIdStr_v, Inst::kIdStur_v, d(src), dst);
}
void A64Assembler::mov_imm_fp(Reg dst, uint64_t bits) {
  if (bits == 0) {
    a_.fmov(d(dst), a64::xzr);
    return;
  }
  move_imm(kTmp, bits);
  a_.fmov(d(dst), kTmp);
}

// ---- Integers ---------------------------------------------------------------------------------

bool A64Assembler::encodes_imm(AluOp op, Width width, int64_t value) const {
  switch (op) {
    case AluOp::Add:
    case AluOp::Sub:
      // A negative addend is a subtraction of its magnitude (and the other way round).
      return value != INT64_MIN && is_arith_imm(uint64_t(value < 0 ? -value : value));
    case AluOp::And:
    case AluOp::Or:
    case AluOp::Xor:
      return a64::Utils::isLogicalImm(imm_bits(width, value), width_bits(width));
    case AluOp::Mul:
      return false;
    default:
      return true;  // shift and rotate counts
  }
}

bool A64Assembler::encodes_imm(Cond, Width, int64_t value) const {
  // cmp with the value or cmn with its negation (the same flags, as k > 0 here).
  return value >= 0 ? is_arith_imm(uint64_t(value)) : value > -4096;
}

void A64Assembler::alu(AluOp op, Width width, Reg dst, Reg lhs, Reg rhs) {
  a64::Gp d = gp(dst, width), a = gp(lhs, width), b = gp(rhs, width);
  switch (op) {
    case AluOp::Add:
      a_.add(d, a, b);
      break;
    case AluOp::Sub:
      a_.sub(d, a, b);
      break;
    case AluOp::Mul:
      a_.mul(d, a, b);
      break;
    case AluOp::And:
      a_.and_(d, a, b);
      break;
    case AluOp::Or:
      a_.orr(d, a, b);
      break;
    case AluOp::Xor:
      a_.eor(d, a, b);
      break;
    // Shifts by a register take the count modulo the width, as wasm does.
    case AluOp::Shl:
      a_.lsl(d, a, b);
      break;
    case AluOp::ShrS:
      a_.asr(d, a, b);
      break;
    case AluOp::ShrU:
      a_.lsr(d, a, b);
      break;
    case AluOp::Rotl:
      // Left by n is right by -n (mod the width).
      a_.neg(tmp(width), b);
      a_.ror(d, a, tmp(width));
      break;
    case AluOp::Rotr:
      a_.ror(d, a, b);
      break;
  }
}

void A64Assembler::alu_imm(AluOp op, Width width, Reg dst, Reg lhs, int64_t value) {
  a64::Gp d = gp(dst, width), a = gp(lhs, width);
  uint32_t bits = width_bits(width);
  switch (op) {
    case AluOp::Add:
    case AluOp::Sub: {
      bool add = (op == AluOp::Add) == (value >= 0);
      uint64_t magnitude = uint64_t(value < 0 ? -value : value);
      add ? a_.add(d, a, magnitude) : a_.sub(d, a, magnitude);
      break;
    }
    case AluOp::And:
      a_.and_(d, a, imm_bits(width, value));
      break;
    case AluOp::Or:
      a_.orr(d, a, imm_bits(width, value));
      break;
    case AluOp::Xor:
      a_.eor(d, a, imm_bits(width, value));
      break;
    case AluOp::Mul:  // no immediate form: through x16
      move_imm(kTmp, imm_bits(width, value));
      a_.mul(d, a, tmp(width));
      break;
    case AluOp::Shl:
      a_.lsl(d, a, value);
      break;
    case AluOp::ShrS:
      a_.asr(d, a, value);
      break;
    case AluOp::ShrU:
      a_.lsr(d, a, value);
      break;
    case AluOp::Rotl:
      a_.ror(d, a, (bits - value) & (bits - 1));
      break;
    case AluOp::Rotr:
      a_.ror(d, a, value);
      break;
  }
}

void A64Assembler::compare_with(Width width, Reg lhs, int64_t value) {
  a64::Gp a = gp(lhs, width);
  if (value >= 0 && is_arith_imm(uint64_t(value))) {
    a_.cmp(a, value);
  } else if (value < 0 && value > -4096) {
    a_.cmn(a, -value);
  } else {
    move_imm(kTmp, width == Width::W32 ? uint64_t(uint32_t(value)) : uint64_t(value));
    a_.cmp(a, tmp(width));
  }
}

void A64Assembler::compare(Cond c, Width width, Reg dst, Reg lhs, Reg rhs) {
  a_.cmp(gp(lhs, width), gp(rhs, width));
  a_.cset(w(dst), cond_code(c));
}

void A64Assembler::compare_imm(Cond c, Width width, Reg dst, Reg lhs, int64_t value) {
  compare_with(width, lhs, value);
  a_.cset(w(dst), cond_code(c));
}

void A64Assembler::sign_extend(uint8_t from_bytes, Width width, Reg r) {
  a64::Gp v = gp(r, width);
  if (from_bytes == 1) {
    a_.sxtb(v, w(r));
  } else if (from_bytes == 2) {
    a_.sxth(v, w(r));
  } else {
    a_.sxtw(x(r), w(r));
  }
}

void A64Assembler::divide(DivOp op, Width width, Reg dst, Reg src, Label div_by_zero,
                          Label overflow) {
  a64::Gp lhs = gp(dst, width), rhs = gp(src, width), q = tmp(width);
  // A64 division never faults: it gives 0 for a zero divisor and the minimum for MIN / -1.
  a_.cbz(rhs, lbl(div_by_zero));
  bool is_signed = op == DivOp::DivS || op == DivOp::RemS;
  if (op == DivOp::DivS) {
    // MIN / -1 overflows; lhs - 1 overflows exactly for MIN.
    asmjit::Label ordinary = a_.newLabel();
    a_.cmn(rhs, 1);
    a_.b(CondCode::kNE, ordinary);
    a_.cmp(lhs, 1);
    a_.b(CondCode::kVS, lbl(overflow));
    a_.bind(ordinary);
  }
  if (op == DivOp::DivS || op == DivOp::DivU) {
    is_signed ? a_.sdiv(lhs, lhs, rhs) : a_.udiv(lhs, lhs, rhs);
    return;
  }
  // The remainder is lhs - (lhs / rhs) * rhs: 0 for MIN % -1, as the quotient wraps to MIN.
  is_signed ? a_.sdiv(q, lhs, rhs) : a_.udiv(q, lhs, rhs);
  a_.msub(lhs, q, rhs, lhs);
}

void A64Assembler::count_bits(BitCount op, Width width, Reg r) {
  a64::Gp v = gp(r, width);
  switch (op) {
    case BitCount::Clz:
      a_.clz(v, v);
      break;
    case BitCount::Ctz:
      a_.rbit(v, v);
      a_.clz(v, v);
      break;
    case BitCount::Popcnt:
      // Per-byte counts in a vector register, then their sum.
      if (width == Width::W32)
        a_.fmov(kFpTmp.s(), w(r));
      else
        a_.fmov(kFpTmp, x(r));
      a_.cnt(kFpTmp.b8(), kFpTmp.b8());
      a_.addv(kFpTmp.b(), kFpTmp.b8());
      a_.fmov(w(r), kFpTmp.s());
      break;
  }
}

void A64Assembler::select(Reg dst, Reg other, Reg cond) {
  a_.cmp(w(cond), 0);
  a_.csel(x(dst), x(dst), x(other), CondCode::kNE);
}

void A64Assembler::select_fp(Reg dst, Reg other, Reg cond) {
  a_.cmp(w(cond), 0);
  a_.fcsel(d(dst), d(dst), d(other), CondCode::kNE);
}

// ---- Memory -----------------------------------------------------------------------------------

// [base + zero-extended addr + offset]: the reservation behind every memory covers any 32-bit
// address plus any 32-bit offset, so a bad one faults in the guard region.
a64::Mem A64Assembler::address(const MemAccess& m, Reg addr, uint64_t offset) {
  a64::GpX base = m.base_in_reg ? x(m.base) : kMemBase;
  if (offset == 0) return a64::ptr(base, w(addr), arm::uxtw(0));
  if (is_arith_imm(offset)) {
    a_.add(kAddr, base, offset);
  } else {
    move_imm(kAddr, offset);
    a_.add(kAddr, base, kAddr);
  }
  return a64::ptr(kAddr, w(addr), arm::uxtw(0));
}

void A64Assembler::load(MemAccess m, Reg dst, Reg addr, uint64_t offset) {
  a64::Mem at = address(m, addr, offset);
  a64::Gp v = gp(dst, m.width);
  switch (m.bytes) {
    case 1:
      m.sign_extend ? a_.ldrsb(v, at) : a_.ldrb(w(dst), at);
      break;
    case 2:
      m.sign_extend ? a_.ldrsh(v, at) : a_.ldrh(w(dst), at);
      break;
    case 4:
      m.sign_extend ? a_.ldrsw(x(dst), at) : a_.ldr(w(dst), at);
      break;
    default:
      a_.ldr(x(dst), at);
      break;
  }
  buffer_.add_fault_site(last_instruction());
}

void A64Assembler::store(MemAccess m, Reg addr, uint64_t offset, Reg value) {
  a64::Mem at = address(m, addr, offset);
  switch (m.bytes) {
    case 1:
      a_.strb(w(value), at);
      break;
    case 2:
      a_.strh(w(value), at);
      break;
    case 4:
      a_.str(w(value), at);
      break;
    default:
      a_.str(x(value), at);
      break;
  }
  buffer_.add_fault_site(last_instruction());
}

void A64Assembler::load_fp(MemAccess m, Reg dst, Reg addr, uint64_t offset) {
  a64::Mem at = address(m, addr, offset);
  a_.ldr(fp(dst, m.width), at);
  buffer_.add_fault_site(last_instruction());
}

void A64Assembler::store_fp(MemAccess m, Reg addr, uint64_t offset, Reg value) {
  a64::Mem at = address(m, addr, offset);
  a_.str(fp(value, m.width), at);
  buffer_.add_fault_site(last_instruction());
}

void A64Assembler::load_global(Reg dst, uint32_t index) {
  access(Inst::kIdLdr, Inst::kIdLdur, kTmp, kGlobals, int64_t(index) * 8, 8);
  a_.ldr(x(dst), a64::ptr(kTmp, offsetof(rt::GlobalInstance, value)));
}
void A64Assembler::store_global(uint32_t index, Reg src) {
  access(Inst::kIdLdr, Inst::kIdLdur, kTmp, kGlobals, int64_t(index) * 8, 8);
  a_.str(x(src), a64::ptr(kTmp, offsetof(rt::GlobalInstance, value)));
}
void A64Assembler::load_global_fp(Reg dst, uint32_t index) {
  access(Inst::kIdLdr, Inst::kIdLdur, kTmp, kGlobals, int64_t(index) * 8, 8);
  a_.ldr(d(dst), a64::ptr(kTmp, offsetof(rt::GlobalInstance, value)));
}
void A64Assembler::store_global_fp(uint32_t index, Reg src) {
  access(Inst::kIdLdr, Inst::kIdLdur, kTmp, kGlobals, int64_t(index) * 8, 8);
  a_.str(d(src), a64::ptr(kTmp, offsetof(rt::GlobalInstance, value)));
}

// ---- Branches ---------------------------------------------------------------------------------

void A64Assembler::branch_if_equal(Reg value, uint32_t imm_value, Label target) {
  compare_with(Width::W32, value, int32_t(imm_value));
  a_.b(CondCode::kEQ, lbl(target));
}

void A64Assembler::jump_table(Reg index, std::span<const Label> targets, Label otherwise) {
  compare_with(Width::W32, index, int64_t(targets.size()));
  a_.b(CondCode::kHS, lbl(otherwise));
  asmjit::Label table = a_.newLabel();
  a_.mov(kTmp2.w(), w(index));  // zero-extends into the x register
  a_.adr(kTmp, table);
  a_.ldrsw(kTmp2, a64::ptr(kTmp, kTmp2, arm::lsl(2)));
  a_.add(kTmp, kTmp, kTmp2);
  a_.br(kTmp);
  a_.keep_together(targets.size() * 4);
  a_.bind(table);
  buffer_.emit_jump_table(a_, targets);
}

void A64Assembler::branch_if(Cond c, Width width, Reg lhs, Reg rhs, Label target) {
  a_.cmp(gp(lhs, width), gp(rhs, width));
  a_.b(cond_code(c), lbl(target));
}

void A64Assembler::branch_if_imm(Cond c, Width width, Reg lhs, int64_t value, Label target) {
  if (value == 0 && (c == Cond::Eq || c == Cond::Ne)) {
    c == Cond::Eq ? a_.cbz(gp(lhs, width), lbl(target)) : a_.cbnz(gp(lhs, width), lbl(target));
    return;
  }
  compare_with(width, lhs, value);
  a_.b(cond_code(c), lbl(target));
}

}  // namespace a64_backend

std::unique_ptr<ModuleAssembler> make_a64_assembler(bool with_listing, size_t code_size_hint) {
  return std::make_unique<a64_backend::A64Assembler>(with_listing, code_size_hint);
}

}  // namespace tern::jit
