// The x86-64 backend: the MacroAssembler on asmjit's x86::Assembler (used as an encoder only).
//
// Registers: r15 = JitContext*, r13 = rt::Instance*, r14 = memory 0's base, r12 = the
// instance's GlobalInstance* array; rax, rcx, rdx are scratch; rbx, rsi, rdi, r8-r11 are
// allocatable; xmm0-xmm13 are the allocatable floating-point registers, xmm14 and xmm15 scratch.
// None survives a call: the compiler spills every operand first, so only the entry trampoline
// saves the host's callee-saved registers.
// Frame: push rbp; mov rbp, rsp; sub rsp, F. [rbp-8] holds the value-area pointer, spare slot j
// is [rbp-16-8j], operand slot k is [rsp+8k]; F (a multiple of 16) is patched in at the end.
// The stack pointer is 16-byte aligned at every call.
#include "jit/x64/x64_masm.h"

#include <asmjit/core.h>
#include <asmjit/x86.h>

#include <bit>
#include <cstddef>
#include <cstring>

#include "jit/common/code_buffer.h"
#include "jit/common/masm.h"
#include "jit/common/runtime_layout.h"
#include "jit/x64/x64_frame.h"
#include "jit/x64/x64_memory.h"
#include "jit/x64/x64_simd.h"

namespace tern::jit {

namespace {

using namespace asmjit;
using x86::Gp;
using x86::Xmm;

using namespace x64_backend;

class X64Assembler final : public ModuleAssembler {
 public:
  X64Assembler(bool with_listing, size_t code_size_hint)
      : buffer_(Arch::kX64, with_listing, code_size_hint), simd_(a_, buffer_) {
    buffer_.attach(a_);
  }

  uint32_t num_regs(RegClass c) const override {
    return c == RegClass::Gp ? uint32_t(std::size(kAllocatable)) : kNumFpRegs;
  }
  bool can_round_fp() const override { return host_features().sse41; }
  bool can_count_ones() const override { return host_features().popcnt; }
  SimdAssembler* simd() override { return &simd_; }
  asmjit::Label lbl(Label l) const { return asmjit::Label(l.id); }
  Label new_label() override { return Label{a_.newLabel().id()}; }
  void bind(Label l) override { a_.bind(lbl(l)); }

  void begin_function(Label entry, uint32_t num_params, uint32_t num_locals,
                      Label stack_exhausted) override {
    a_.align(AlignMode::kCode, 16);
    bind(entry);
    buffer_.add_function(a_.offset());
    a_.push(x86::rbp);
    a_.mov(x86::rbp, x86::rsp);
    // sub rsp, imm32, with the immediate patched by finish_frame.
    a_.db(0x48);
    a_.db(0x81);
    a_.db(0xEC);
    frame_size_at_ = a_.offset();
    a_.dd(0);
    a_.cmp(x86::rsp, x86::qword_ptr(kCtx, offsetof(JitContext, stack_limit)));
    a_.jb(lbl(stack_exhausted));
    // Borrows when no frame is left (a trap unwinds, so the count needs no repair).
    a_.sub(x86::dword_ptr(kCtx, offsetof(JitContext, depth_left)), 1);
    a_.jb(lbl(stack_exhausted));
    a_.mov(x86::qword_ptr(x86::rbp, -8), x86::rdi);
    for (uint32_t i = 0; i < num_params; ++i) {
      a_.mov(x86::rax, x86::qword_ptr(x86::rdi, int32_t(i * 8)));
      a_.mov(operand(i), x86::rax);
    }
    zero_operand_slots(num_params, num_locals);
  }

  uint32_t finish_frame(uint32_t operand_slots, uint32_t spare_slots) override {
    uint64_t bytes = (uint64_t(operand_slots) + spare_slots + 1) * 8;
    bytes = (bytes + 15) & ~uint64_t(15);
    uint32_t imm = uint32_t(bytes);
    std::memcpy(buffer_.data() + frame_size_at_, &imm, 4);
    buffer_.fill_jump_tables();
    buffer_.resolve_safepoints(imm);
    return imm;
  }
  void add_handler_table(uint32_t frame_bytes, std::vector<TryRegionLabels> regions) override {
    buffer_.add_handler_table(frame_bytes, std::move(regions));
  }

  void return_from_function(Slot results, uint32_t num_results) override {
    if (num_results) a_.mov(x86::rdx, x86::qword_ptr(x86::rbp, -8));
    for (uint32_t i = 0; i < num_results; ++i) {
      a_.mov(x86::rax, slot(Slot{results.kind, results.index + i}));
      a_.mov(x86::qword_ptr(x86::rdx, int32_t(i * 8)), x86::rax);
    }
    a_.add(x86::dword_ptr(kCtx, offsetof(JitContext, depth_left)), 1);
    a_.mov(x86::rsp, x86::rbp);
    a_.pop(x86::rbp);
    a_.ret();
  }

  void load_slot(Reg dst, Slot src) override { a_.mov(q(dst), slot(src)); }
  void store_slot(Slot dst, Reg src) override { a_.mov(slot(dst), q(src)); }
  void store_slot_imm(Slot dst, uint64_t bits) override {
    if (int64_t(bits) >= INT32_MIN && int64_t(bits) <= INT32_MAX) {
      a_.mov(slot(dst), imm(int32_t(bits)));
    } else {
      a_.mov(x86::rax, imm(bits));
      a_.mov(slot(dst), x86::rax);
    }
  }
  void copy_slot(Slot dst, Slot src) override {
    if (dst.kind == src.kind && dst.index == src.index) return;
    a_.mov(x86::rax, slot(src));
    a_.mov(slot(dst), x86::rax);
  }
  void mov_imm(Reg dst, uint64_t bits) override {
    if (bits <= UINT32_MAX) {
      a_.mov(d(dst), imm(uint32_t(bits)));
    } else {
      a_.mov(q(dst), imm(bits));
    }
  }
  void mov(Reg dst, Reg src) override { a_.mov(q(dst), q(src)); }
  void load_slot_fp(Reg dst, Slot src) override { a_.movsd(x(dst), slot(src)); }
  void store_slot_fp(Slot dst, Reg src) override { a_.movsd(slot(dst), x(src)); }
  void mov_imm_fp(Reg dst, uint64_t bits) override { fp_const(x(dst), bits); }
  void mov_fp(Reg dst, Reg src) override { a_.movaps(x(dst), x(src)); }
  void move_to_fp(Reg dst, Reg src) override { a_.movq(x(dst), q(src)); }
  void move_from_fp(Reg dst, Reg src) override { a_.movq(q(dst), x(src)); }

  // x86 folds sign-extended 32-bit immediates.
  bool encodes_imm(AluOp, Width, int64_t value) const override { return fits_i32(value); }
  bool encodes_imm(Cond, Width, int64_t value) const override { return fits_i32(value); }
  static bool fits_i32(int64_t v) { return v >= INT32_MIN && v <= INT32_MAX; }

  // x86 is two-operand: dst = lhs first, except where dst is rhs, when the commutative
  // operations take lhs as their source and a subtraction negates first.
  void alu(AluOp op, Width w, Reg dst, Reg lhs, Reg rhs) override {
    Gp x = r(dst, w), y = r(rhs, w);
    if (op >= AluOp::Shl) {
      // Shifts and rotates take the count in cl and mask it to the width, as wasm does.
      a_.mov(x86::ecx, d(rhs));
      if (dst != lhs) a_.mov(x, r(lhs, w));
      shift(op, x, x86::cl);
      return;
    }
    if (dst == rhs && dst != lhs) {
      y = r(lhs, w);
      if (op == AluOp::Sub) {
        a_.neg(x);
        op = AluOp::Add;
      }
    } else if (dst != lhs) {
      a_.mov(x, r(lhs, w));
    }
    switch (op) {
      case AluOp::Add:
        a_.add(x, y);
        break;
      case AluOp::Sub:
        a_.sub(x, y);
        break;
      case AluOp::Mul:
        a_.imul(x, y);
        break;
      case AluOp::And:
        a_.and_(x, y);
        break;
      case AluOp::Or:
        a_.or_(x, y);
        break;
      default:
        a_.xor_(x, y);
        break;
    }
  }
  void alu_imm(AluOp op, Width w, Reg dst, Reg lhs, int64_t value) override {
    Gp x = r(dst, w);
    int32_t v = int32_t(value);
    if (op == AluOp::Mul) {
      a_.imul(x, r(lhs, w), v);  // the one three-operand form
      return;
    }
    if (dst != lhs) a_.mov(x, r(lhs, w));
    switch (op) {
      case AluOp::Add:
        a_.add(x, v);
        break;
      case AluOp::Sub:
        a_.sub(x, v);
        break;
      case AluOp::And:
        a_.and_(x, v);
        break;
      case AluOp::Or:
        a_.or_(x, v);
        break;
      case AluOp::Xor:
        a_.xor_(x, v);
        break;
      default:
        shift(op, x, imm(v));
        break;
    }
  }
  void compare(Cond c, Width w, Reg dst, Reg lhs, Reg rhs) override {
    a_.cmp(r(lhs, w), r(rhs, w));
    set(c, dst);
  }
  void compare_imm(Cond c, Width w, Reg dst, Reg lhs, int64_t value) override {
    compare_with(c, w, lhs, int32_t(value));
    set(c, dst);
  }
  void zero_extend_32(Reg reg) override { a_.mov(d(reg), d(reg)); }
  void sign_extend(uint8_t from_bytes, Width w, Reg reg) override {
    if (from_bytes == 1) {
      a_.movsx(r(reg, w), x86::gpb_lo(kAllocatable[reg]));
    } else if (from_bytes == 2) {
      a_.movsx(r(reg, w), x86::gpw(kAllocatable[reg]));
    } else {
      a_.movsxd(q(reg), d(reg));
    }
  }
  void select(Reg dst, Reg other, Reg cond) override {
    a_.test(d(cond), d(cond));
    a_.cmovz(q(dst), q(other));
  }
  void select_fp(Reg dst, Reg other, Reg cond) override {
    asmjit::Label keep = a_.newLabel();
    a_.test(d(cond), d(cond));
    a_.jnz(keep);
    a_.movaps(x(dst), x(other));
    a_.bind(keep);
  }

  void divide(DivOp op, Width w, Reg dst, Reg src, Label div_by_zero, Label overflow) override {
    Gp lhs = r(dst, w), rhs = r(src, w);
    Gp ax = w == Width::W32 ? Gp(x86::eax) : Gp(x86::rax);
    Gp dx = w == Width::W32 ? Gp(x86::edx) : Gp(x86::rdx);
    bool is_signed = op == DivOp::DivS || op == DivOp::RemS;
    asmjit::Label done = a_.newLabel();
    a_.test(rhs, rhs);
    a_.jz(lbl(div_by_zero));
    if (is_signed) {
      // idiv faults on MIN / -1: division by -1 is a negation (which overflows only for MIN),
      // and the remainder is 0.
      asmjit::Label ordinary = a_.newLabel();
      a_.cmp(rhs, -1);
      a_.jne(ordinary);
      if (op == DivOp::DivS) {
        a_.neg(lhs);
        a_.jo(lbl(overflow));
      } else {
        a_.xor_(d(dst), d(dst));
      }
      a_.jmp(done);
      a_.bind(ordinary);
    }
    a_.mov(ax, lhs);
    if (is_signed) {
      if (w == Width::W32)
        a_.cdq(dx, ax);
      else
        a_.cqo(dx, ax);
      a_.idiv(dx, ax, rhs);
    } else {
      a_.xor_(x86::edx, x86::edx);
      a_.div(dx, ax, rhs);
    }
    a_.mov(lhs, op == DivOp::DivS || op == DivOp::DivU ? ax : dx);
    a_.bind(done);
  }

  void count_bits(BitCount op, Width w, Reg reg) override {
    Gp v = r(reg, w);
    int32_t bits = w == Width::W32 ? 32 : 64;
    asmjit::Label done = a_.newLabel();
    switch (op) {
      case BitCount::Clz:
        if (host_features().lzcnt) {
          a_.lzcnt(v, v);
          break;
        }
        // bsr gives the index of the highest set bit (bits-1-clz) and sets ZF for 0, which
        // must give `bits`: (2*bits-1) ^ (bits-1) == bits.
        a_.bsr(v, v);
        a_.jnz(done);
        a_.mov(d(reg), 2 * bits - 1);
        a_.bind(done);
        a_.xor_(v, bits - 1);
        break;
      case BitCount::Ctz:
        if (host_features().bmi1) {
          a_.tzcnt(v, v);
          break;
        }
        a_.bsf(v, v);
        a_.jnz(done);
        a_.mov(d(reg), bits);
        a_.bind(done);
        break;
      case BitCount::Popcnt:
        a_.popcnt(v, v);
        break;
    }
  }

  void fp_binary(FpOp op, Width w, Reg dst, Reg src) override {
    Xmm a = x(dst), b = x(src);
    bool f32 = w == Width::W32;
    switch (op) {
      case FpOp::Add:
        f32 ? a_.addss(a, b) : a_.addsd(a, b);
        break;
      case FpOp::Sub:
        f32 ? a_.subss(a, b) : a_.subsd(a, b);
        break;
      case FpOp::Mul:
        f32 ? a_.mulss(a, b) : a_.mulsd(a, b);
        break;
      case FpOp::Div:
        f32 ? a_.divss(a, b) : a_.divsd(a, b);
        break;
      case FpOp::Min:
      case FpOp::Max:
        min_max(op == FpOp::Min, f32, a, b);
        break;
      case FpOp::Copysign:
        // Bit operations in general-purpose registers: NaN payloads pass through untouched.
        if (f32) {
          a_.movd(x86::eax, a);
          a_.movd(x86::ecx, b);
          a_.and_(x86::eax, INT32_MAX);
          a_.and_(x86::ecx, INT32_MIN);
          a_.or_(x86::eax, x86::ecx);
          a_.movd(a, x86::eax);
        } else {
          a_.movq(x86::rax, a);
          a_.movq(x86::rcx, b);
          a_.btr(x86::rax, 63);
          a_.shr(x86::rcx, 63);
          a_.shl(x86::rcx, 63);
          a_.or_(x86::rax, x86::rcx);
          a_.movq(a, x86::rax);
        }
        break;
    }
  }

  void fp_unary(FpUnaryOp op, Width w, Reg reg) override {
    Xmm v = x(reg);
    bool f32 = w == Width::W32;
    switch (op) {
      case FpUnaryOp::Abs:
      case FpUnaryOp::Neg:
        // On the sign bit only, so NaN payloads pass through untouched.
        if (f32) {
          a_.movd(x86::eax, v);
          if (op == FpUnaryOp::Abs)
            a_.and_(x86::eax, INT32_MAX);
          else
            a_.xor_(x86::eax, INT32_MIN);
          a_.movd(v, x86::eax);
        } else {
          a_.movq(x86::rax, v);
          if (op == FpUnaryOp::Abs)
            a_.btr(x86::rax, 63);
          else
            a_.btc(x86::rax, 63);
          a_.movq(v, x86::rax);
        }
        break;
      case FpUnaryOp::Sqrt:
        f32 ? a_.sqrtss(v, v) : a_.sqrtsd(v, v);
        break;
      default: {
        // SSE4.1 rounding modes: 0 nearest-even, 1 down, 2 up, 3 toward zero.
        uint32_t mode = op == FpUnaryOp::Nearest ? 0
                        : op == FpUnaryOp::Floor ? 1
                        : op == FpUnaryOp::Ceil  ? 2
                                                 : 3;
        f32 ? a_.roundss(v, v, imm(mode)) : a_.roundsd(v, v, imm(mode));
        break;
      }
    }
  }

  void fp_compare(FpCond c, Width w, Reg dst, Reg lhs, Reg rhs) override {
    bool f32 = w == Width::W32;
    Xmm a = x(lhs), b = x(rhs);
    // ucomis sets ZF, PF and CF for unordered; "above" (CF=0, ZF=0) is false then, so lt/le
    // compare the swapped operands.
    switch (c) {
      case FpCond::Eq:
        ucomis(f32, a, b);
        a_.sete(x86::al);
        a_.setnp(x86::cl);
        a_.and_(x86::al, x86::cl);
        break;
      case FpCond::Ne:
        ucomis(f32, a, b);
        a_.setne(x86::al);
        a_.setp(x86::cl);
        a_.or_(x86::al, x86::cl);
        break;
      case FpCond::Lt:
        ucomis(f32, b, a);
        a_.seta(x86::al);
        break;
      case FpCond::Gt:
        ucomis(f32, a, b);
        a_.seta(x86::al);
        break;
      case FpCond::Le:
        ucomis(f32, b, a);
        a_.setae(x86::al);
        break;
      case FpCond::Ge:
        ucomis(f32, a, b);
        a_.setae(x86::al);
        break;
    }
    a_.movzx(d(dst), x86::al);
  }

  void convert_fp(Width to, Reg reg) override {
    if (to == Width::W32)
      a_.cvtsd2ss(x(reg), x(reg));
    else
      a_.cvtss2sd(x(reg), x(reg));
  }

  void convert_int_to_fp(IntFp c, Reg dst, Reg src) override {
    Xmm f = x(dst);
    bool f32 = c.fp_width == Width::W32;
    auto cvt = [&](const Gp& g) { f32 ? a_.cvtsi2ss(f, g) : a_.cvtsi2sd(f, g); };
    a_.xorps(f, f);  // cvtsi2s* writes only the low lane: no dependency on f's old value
    if (c.int_width == Width::W32) {
      if (c.is_signed) {
        cvt(d(src));
      } else {
        a_.mov(x86::eax, d(src));  // zero-extended: every u32 is a non-negative i64
        cvt(x86::rax);
      }
    } else if (c.is_signed) {
      cvt(q(src));
    } else {
      // A u64 with the top bit set: halve it (keeping the low bit, so rounding stays exact),
      // convert as signed, double.
      asmjit::Label big = a_.newLabel(), done = a_.newLabel();
      a_.test(q(src), q(src));
      a_.js(big);
      cvt(q(src));
      a_.jmp(done);
      a_.bind(big);
      a_.mov(x86::rax, q(src));
      a_.shr(x86::rax, 1);
      a_.mov(x86::ecx, d(src));
      a_.and_(x86::ecx, 1);
      a_.or_(x86::rax, x86::rcx);
      cvt(x86::rax);
      f32 ? a_.addss(f, f) : a_.addsd(f, f);
      a_.bind(done);
    }
  }

  void truncate_fp_to_int(IntFp c, Reg dst, Reg src, Label invalid, Label overflow) override {
    asmjit::Label inv = lbl(invalid), ovf = lbl(overflow);
    truncate(c, dst, src, &inv, &ovf);
  }
  void truncate_fp_to_int_sat(IntFp c, Reg dst, Reg src) override {
    truncate(c, dst, src, nullptr, nullptr);
  }

  void load(MemAccess m, Reg dst, Reg addr, uint64_t offset) override {
    x86::Mem at = address(m, addr, offset);
    buffer_.add_fault_site(a_.offset());
    switch (m.bytes) {
      case 1:
      case 2:
        at.setSize(m.bytes);
        if (m.sign_extend)
          a_.movsx(r(dst, m.width), at);
        else
          a_.movzx(d(dst), at);
        break;
      case 4:
        at.setSize(4);
        if (m.sign_extend)
          a_.movsxd(q(dst), at);
        else
          a_.mov(d(dst), at);
        break;
      default:
        at.setSize(8);
        a_.mov(q(dst), at);
        break;
    }
  }
  void store(MemAccess m, Reg addr, uint64_t offset, Reg value) override {
    x86::Mem at = address(m, addr, offset);
    buffer_.add_fault_site(a_.offset());
    switch (m.bytes) {
      case 1:
        a_.mov(at, x86::gpb_lo(kAllocatable[value]));
        break;
      case 2:
        a_.mov(at, x86::gpw(kAllocatable[value]));
        break;
      case 4:
        a_.mov(at, d(value));
        break;
      default:
        a_.mov(at, q(value));
        break;
    }
  }

  void load_fp(MemAccess m, Reg dst, Reg addr, uint64_t offset) override {
    x86::Mem at = address(m, addr, offset);
    buffer_.add_fault_site(a_.offset());
    if (m.width == Width::W32) {
      at.setSize(4);
      a_.movss(x(dst), at);
    } else {
      at.setSize(8);
      a_.movsd(x(dst), at);
    }
  }
  void store_fp(MemAccess m, Reg addr, uint64_t offset, Reg value) override {
    x86::Mem at = address(m, addr, offset);
    buffer_.add_fault_site(a_.offset());
    if (m.width == Width::W32) {
      at.setSize(4);
      a_.movss(at, x(value));
    } else {
      at.setSize(8);
      a_.movsd(at, x(value));
    }
  }

  void load_memory_base(Reg dst, uint32_t memory) override {
    x64_backend::load_memory_base(a_, kInst, q(dst), memory);
  }
  void check_memory_bounds(uint32_t memory, Reg addr, uint64_t end, Label out_of_bounds) override {
    x64_backend::check_memory_bounds(a_, kInst, q(addr), end, memory, lbl(out_of_bounds));
  }

  void load_global(Reg dst, uint32_t index) override {
    a_.mov(x86::rax, x86::qword_ptr(kGlobals, int32_t(index * 8)));
    a_.mov(q(dst), x86::qword_ptr(x86::rax, offsetof(rt::GlobalInstance, value)));
  }
  void store_global(uint32_t index, Reg src) override {
    a_.mov(x86::rax, x86::qword_ptr(kGlobals, int32_t(index * 8)));
    a_.mov(x86::qword_ptr(x86::rax, offsetof(rt::GlobalInstance, value)), q(src));
  }
  void load_global_fp(Reg dst, uint32_t index) override {
    a_.mov(x86::rax, x86::qword_ptr(kGlobals, int32_t(index * 8)));
    a_.movsd(x(dst), x86::qword_ptr(x86::rax, offsetof(rt::GlobalInstance, value)));
  }
  void store_global_fp(uint32_t index, Reg src) override {
    a_.mov(x86::rax, x86::qword_ptr(kGlobals, int32_t(index * 8)));
    a_.movsd(x86::qword_ptr(x86::rax, offsetof(rt::GlobalInstance, value)), x(src));
  }

  void jump(Label target) override { a_.jmp(lbl(target)); }
  void branch_if_zero(Reg cond, Label target) override {
    a_.test(d(cond), d(cond));
    a_.jz(lbl(target));
  }
  void branch_if_nonzero(Reg cond, Label target) override {
    a_.test(d(cond), d(cond));
    a_.jnz(lbl(target));
  }
  void branch_if_equal(Reg value, uint32_t imm_value, Label target) override {
    a_.cmp(d(value), imm(imm_value));
    a_.je(lbl(target));
  }

  void jump_table(Reg index, std::span<const Label> targets, Label otherwise) override {
    a_.cmp(d(index), imm(uint32_t(targets.size())));
    a_.jae(lbl(otherwise));
    asmjit::Label table = a_.newLabel();
    a_.mov(x86::ecx, d(index));  // zero-extended
    a_.lea(x86::rax, x86::ptr(table));
    a_.movsxd(x86::rdx, x86::dword_ptr(x86::rax, x86::rcx, 2));
    a_.add(x86::rax, x86::rdx);
    a_.jmp(x86::rax);
    a_.align(AlignMode::kData, 4);
    a_.bind(table);
    buffer_.emit_jump_table(a_, targets);
  }

  void branch_if(Cond c, Width w, Reg lhs, Reg rhs, Label target) override {
    a_.cmp(r(lhs, w), r(rhs, w));
    a_.j(code_of(c), lbl(target));
  }
  void branch_if_imm(Cond c, Width w, Reg lhs, int64_t value, Label target) override {
    compare_with(c, w, lhs, int32_t(value));
    a_.j(code_of(c), lbl(target));
  }

  void call_direct(Label callee, Slot values) override {
    a_.lea(x86::rdi, slot(values));
    a_.call(lbl(callee));
  }
  void call_entry(const std::atomic<const void*>* entry, Slot values) override {
    mov_address(x86::rax, entry);
    a_.lea(x86::rdi, slot(values));
    a_.call(x86::qword_ptr(x86::rax));
  }
  // rcx: the element index or the reference, then the FuncInstance; rax: the table, then the
  // code table.
  void call_indirect(const IndirectCall& c) override {
    const RuntimeLayout& l = runtime_layout();
    x86::Mem callee = slot(Slot{c.values.kind, c.values.index + c.num_params});
    if (c.source == IndirectCall::Source::Reference) {
      a_.mov(x86::rcx, callee);
      a_.test(x86::rcx, x86::rcx);
      a_.jz(lbl(c.null_callee));
    } else {
      callee.setSize(4);
      a_.mov(x86::ecx, callee);
      a_.mov(x86::rax, x86::qword_ptr(kInst, l.instance_tables));
      a_.mov(x86::rax, x86::qword_ptr(x86::rax, int32_t(c.table * 8)));
      // The size is read on every call: the table may have grown, from any instance sharing it.
      a_.mov(x86::rdx, x86::qword_ptr(x86::rax, l.table_elems + 8));
      a_.mov(x86::rax, x86::qword_ptr(x86::rax, l.table_elems));
      a_.sub(x86::rdx, x86::rax);
      a_.shr(x86::rdx, 3);
      a_.cmp(x86::rcx, x86::rdx);
      a_.jae(lbl(c.undefined_element));
      a_.mov(x86::rcx, x86::qword_ptr(x86::rax, x86::rcx, 3));
      a_.test(x86::rcx, x86::rcx);
      a_.jz(lbl(c.null_callee));
      mov_address(x86::rdx, c.type_id);
      buffer_.mark_type_id_site();
      a_.mov(x86::edx, x86::dword_ptr(x86::rdx));
      a_.cmp(x86::dword_ptr(x86::rcx, l.func_type_id), x86::edx);
      a_.jne(lbl(c.type_mismatch));
    }
    a_.cmp(x86::qword_ptr(x86::rcx, l.func_instance), kInst);
    a_.jne(lbl(c.generic));
    a_.mov(x86::ecx, x86::dword_ptr(x86::rcx, l.func_index));
    // The index counts imports; the code table starts at the first defined function.
    mov_address(x86::rax, uintptr_t(c.entries) - uint64_t(c.num_imported_funcs) * 8);
    if (c.tail) {
      a_.mov(x86::rcx, x86::qword_ptr(x86::rax, x86::rcx, 3));
      leave_for_tail_call(c.values, c.num_params);
      a_.jmp(x86::rcx);
      return;
    }
    a_.lea(x86::rdi, slot(c.values));
    a_.call(x86::qword_ptr(x86::rax, x86::rcx, 3));
  }
  void tail_call_direct(Label callee, Slot args, uint32_t num_args) override {
    leave_for_tail_call(args, num_args);
    a_.jmp(lbl(callee));
  }
  void tail_call_entry(const std::atomic<const void*>* entry, Slot args,
                       uint32_t num_args) override {
    mov_address(x86::rcx, entry);
    a_.mov(x86::rcx, x86::qword_ptr(x86::rcx));
    leave_for_tail_call(args, num_args);
    a_.jmp(x86::rcx);
  }
  void call_helper(Helper fn, Slot values, uint64_t imm_value) override {
    asmjit::Label returned = a_.newLabel();
    a_.lea(x86::rax, x86::ptr(returned));
    a_.mov(x86::qword_ptr(kCtx, offsetof(JitContext, exit.pc)), x86::rax);
    a_.mov(x86::qword_ptr(kCtx, offsetof(JitContext, exit.fp)), x86::rbp);
    a_.mov(x86::rdi, kCtx);
    a_.mov(x86::rsi, kInst);
    a_.lea(x86::rdx, slot(values));
    a_.mov(x86::rcx, imm(imm_value));
    mov_address(x86::rax, fn);
    a_.call(x86::rax);
    a_.bind(returned);
  }
  void record_safepoint(std::span<const Slot> gc_slots) override {
    buffer_.add_safepoint(a_.offset(), gc_slots);
  }
  void move_helper_result(Reg dst) override { a_.mov(q(dst), x86::rax); }
  void branch_if_trap_pending(Label target) override {
    a_.cmp(x86::dword_ptr(kCtx, offsetof(JitContext, pending)), 0);
    a_.jne(lbl(target));
  }
  void branch_if_interrupted(Label target) override {
    a_.mov(x86::rax, x86::qword_ptr(kCtx, offsetof(JitContext, interrupt)));
    a_.cmp(x86::byte_ptr(x86::rax), 0);
    a_.jne(lbl(target));
  }

  void set_wasm_offset(uint32_t wasm_offset) override { buffer_.set_wasm_offset(wasm_offset); }
  void mark_wasm_offset() override { buffer_.mark_wasm_offset(a_.offset()); }
  void raise_trap(TrapCode code) override { emit_raise(uint32_t(code)); }
  void raise_pending_trap() override { emit_raise(kPendingTrap); }
  void raise_pending_trap_at(Label site) override { emit_raise(kPendingTrap, lbl(site)); }

  Result<void> finalize(CodeBlock& out) override {
    simd_.place_constants();
    return buffer_.finalize(out);
  }
  const void* address_of(Label label) const override { return buffer_.address_of(lbl(label)); }

  void comment(const std::string& text) override {
    if (buffer_.has_listing()) a_.comment(text.data(), text.size());
  }
  std::string listing() const override { return buffer_.listing(); }

 private:
  static Gp q(Reg reg) { return x86::gpq(kAllocatable[reg]); }
  static Gp d(Reg reg) { return x86::gpd(kAllocatable[reg]); }
  static Gp r(Reg reg, Width w) { return w == Width::W32 ? d(reg) : q(reg); }
  static Xmm x(Reg reg) { return x86::xmm(reg); }

  // dst = a runtime address, always as movabs's 8-byte immediate, recorded as an address site
  // (code_address.h): the module cache rewrites it when it loads the code elsewhere.
  void mov_address(const Gp& dst, uint64_t address) {
    a_.movabs(dst, imm(address));
    buffer_.add_address_site(a_.offset() - 8);
  }
  template <typename T>
  void mov_address(const Gp& dst, T* address) {
    mov_address(dst, reinterpret_cast<uint64_t>(address));
  }

  void fp_const(const Xmm& dst, uint64_t bits) {
    if (bits == 0) {
      a_.xorps(dst, dst);
    } else if (bits <= UINT32_MAX) {
      a_.mov(x86::eax, imm(uint32_t(bits)));
      a_.movd(dst, x86::eax);
    } else {
      a_.mov(x86::rax, imm(bits));
      a_.movq(dst, x86::rax);
    }
  }
  void fp_const(const Xmm& dst, bool f32, double value) {
    fp_const(dst, f32 ? std::bit_cast<uint32_t>(float(value)) : std::bit_cast<uint64_t>(value));
  }
  void ucomis(bool f32, const Xmm& a, const Xmm& b) { f32 ? a_.ucomiss(a, b) : a_.ucomisd(a, b); }
  void cvtt(bool f32, const Gp& dst, const Xmm& src) {
    f32 ? a_.cvttss2si(dst, src) : a_.cvttsd2si(dst, src);
  }

  // minss/maxss return the second operand for NaN and for ±0 pairs; wasm wants a NaN, and -0
  // below +0. Equal operands differ at most in the sign: OR the signs for min, AND for max.
  void min_max(bool is_min, bool f32, const Xmm& a, const Xmm& b) {
    asmjit::Label nan = a_.newLabel(), ordinary = a_.newLabel(), done = a_.newLabel();
    ucomis(f32, a, b);
    a_.jp(nan);
    a_.jne(ordinary);
    is_min ? a_.orps(a, b) : a_.andps(a, b);
    a_.jmp(done);
    a_.bind(nan);
    f32 ? a_.addss(a, b) : a_.addsd(a, b);  // a quiet NaN from whichever is NaN
    a_.jmp(done);
    a_.bind(ordinary);
    if (is_min)
      f32 ? a_.minss(a, b) : a_.minsd(a, b);
    else
      f32 ? a_.maxss(a, b) : a_.maxsd(a, b);
    a_.bind(done);
  }

  // cvtts*2si gives the "integer indefinite" value (the minimum) for NaN and out-of-range
  // inputs; only then does the slow path sort out what happened. Trapping when `invalid` and
  // `overflow` are given, saturating otherwise.
  void truncate(IntFp c, Reg dst, Reg src, const asmjit::Label* invalid,
                const asmjit::Label* overflow) {
    bool f32 = c.fp_width == Width::W32;
    Xmm f = x(src);
    asmjit::Label done = a_.newLabel();
    if (c.is_signed) {
      Gp v = r(dst, c.int_width);
      cvtt(f32, v, f);
      a_.cmp(v, 1);  // overflows only for the minimum
      a_.jno(done);
      if (invalid) {
        ucomis(f32, f, f);
        a_.jp(*invalid);
        // The minimum is right when f truncates to it: f > min - 1 (f >= min for f32 to i32
        // and for i64, where min - 1 rounds to min).
        bool min_is_exact_bound = !(c.int_width == Width::W32 && !f32);
        double min = c.int_width == Width::W32 ? -2147483648.0 : -9223372036854775808.0;
        fp_const(kFpScratch, f32, min_is_exact_bound ? min : min - 1);
        ucomis(f32, f, kFpScratch);
        min_is_exact_bound ? a_.jb(*overflow) : a_.jbe(*overflow);
        a_.xorps(kFpScratch, kFpScratch);
        ucomis(f32, f, kFpScratch);
        a_.ja(*overflow);
      } else {
        asmjit::Label nan = a_.newLabel();
        ucomis(f32, f, f);
        a_.jp(nan);
        a_.xorps(kFpScratch, kFpScratch);
        ucomis(f32, f, kFpScratch);
        a_.jbe(done);  // too small: the minimum is the saturated result
        if (c.int_width == Width::W32)
          a_.mov(v, INT32_MAX);
        else
          a_.mov(v, imm(INT64_MAX));
        a_.jmp(done);
        a_.bind(nan);
        a_.xor_(d(dst), d(dst));
      }
      a_.bind(done);
      return;
    }
    if (c.int_width == Width::W32) {
      // Every u32 fits an i64: convert to 64 bits and check the high half.
      cvtt(f32, x86::rax, f);
      a_.mov(x86::rcx, x86::rax);
      a_.shr(x86::rcx, 32);
      a_.jz(done);
      if (invalid) {
        ucomis(f32, f, f);
        a_.jp(*invalid);
        a_.jmp(*overflow);
      } else {
        a_.xor_(x86::eax, x86::eax);
        ucomis(f32, f, f);
        a_.jp(done);
        a_.xorps(kFpScratch, kFpScratch);
        ucomis(f32, f, kFpScratch);
        a_.jb(done);
        a_.mov(x86::eax, imm(UINT32_MAX));
      }
      a_.bind(done);
      a_.mov(d(dst), x86::eax);
      return;
    }
    // u64: below 2^63 as i64; from 2^63 on, subtract 2^63 first and set the top bit after.
    asmjit::Label big = a_.newLabel();
    fp_const(kFpScratch, f32, 9223372036854775808.0);
    ucomis(f32, f, kFpScratch);
    a_.jae(big);  // not taken for NaN
    cvtt(f32, x86::rax, f);
    a_.test(x86::rax, x86::rax);
    a_.jns(done);
    // NaN, or at most -1.
    if (invalid) {
      ucomis(f32, f, f);
      a_.jp(*invalid);
      a_.jmp(*overflow);
    } else {
      a_.xor_(x86::eax, x86::eax);
      a_.jmp(done);
    }
    a_.bind(big);
    a_.movaps(kFpScratch2, f);
    f32 ? a_.subss(kFpScratch2, kFpScratch) : a_.subsd(kFpScratch2, kFpScratch);
    cvtt(f32, x86::rax, kFpScratch2);
    a_.test(x86::rax, x86::rax);
    if (invalid) {
      a_.js(*overflow);
      a_.btc(x86::rax, 63);
    } else {
      asmjit::Label fits = a_.newLabel();
      a_.jns(fits);
      a_.mov(x86::rax, imm(-1));
      a_.jmp(done);
      a_.bind(fits);
      a_.btc(x86::rax, 63);
    }
    a_.bind(done);
    a_.mov(q(dst), x86::rax);
  }

  static x86::Mem operand(uint32_t index) { return slot(Slot{Slot::Kind::Operand, index}); }
  static x86::Mem slot(Slot s) { return slot_mem(s); }

  template <class Count>
  void shift(AluOp op, const Gp& x, const Count& count) {
    switch (op) {
      case AluOp::Shl:
        a_.shl(x, count);
        break;
      case AluOp::ShrS:
        a_.sar(x, count);
        break;
      case AluOp::ShrU:
        a_.shr(x, count);
        break;
      case AluOp::Rotl:
        a_.rol(x, count);
        break;
      default:
        a_.ror(x, count);
        break;
    }
  }

  static x86::CondCode code_of(Cond c) {
    switch (c) {
      case Cond::Eq:
        return x86::CondCode::kE;
      case Cond::Ne:
        return x86::CondCode::kNE;
      case Cond::LtS:
        return x86::CondCode::kL;
      case Cond::LtU:
        return x86::CondCode::kB;
      case Cond::GtS:
        return x86::CondCode::kG;
      case Cond::GtU:
        return x86::CondCode::kA;
      case Cond::LeS:
        return x86::CondCode::kLE;
      case Cond::LeU:
        return x86::CondCode::kBE;
      case Cond::GeS:
        return x86::CondCode::kGE;
      default:
        return x86::CondCode::kAE;  // GeU
    }
  }
  void set(Cond c, Reg dst) {
    a_.set(code_of(c), x86::al);
    a_.movzx(d(dst), x86::al);
  }
  // Flags for `lhs cond value`: test, shorter, for an equality with zero.
  void compare_with(Cond c, Width w, Reg lhs, int32_t value) {
    if (value == 0 && (c == Cond::Eq || c == Cond::Ne)) {
      a_.test(r(lhs, w), r(lhs, w));
    } else {
      a_.cmp(r(lhs, w), value);
    }
  }

  x86::Mem address(const MemAccess& m, Reg addr, uint64_t offset) {
    return memory_address(a_, m, addr, offset);
  }

  // A tail call's move into the callee: the arguments to the value area (rdi for the callee),
  // then the frame and its depth unit given back as a return does. Leaves rcx alone.
  void leave_for_tail_call(Slot args, uint32_t num_args) {
    a_.mov(x86::rdx, x86::qword_ptr(x86::rbp, -8));
    for (uint32_t i = 0; i < num_args; ++i) {
      a_.mov(x86::rax, slot(Slot{args.kind, args.index + i}));
      a_.mov(x86::qword_ptr(x86::rdx, int32_t(i * 8)), x86::rax);
    }
    a_.add(x86::dword_ptr(kCtx, offsetof(JitContext, depth_left)), 1);
    a_.mov(x86::rsp, x86::rbp);
    a_.pop(x86::rbp);
    a_.mov(x86::rdi, x86::rdx);
  }

  // Raises `code` with the stub's own address as the pc, or `site`'s when given.
  void emit_raise(uint32_t code, asmjit::Label site = {}) {
    asmjit::Label here = a_.newLabel();
    a_.bind(here);
    if (site.isValid()) here = site;
    if (code == uint32_t(TrapCode::CallStackExhausted)) {
      // The prologue's checks come here with the whole frame already taken from rsp: a large
      // one reaches far past the stack's end, where the call below would fault with no stack
      // for the handler. rbp is the caller's side of the check, above the reserve.
      a_.mov(x86::rsp, x86::rbp);
    }
    a_.mov(x86::rdi, kCtx);
    a_.mov(x86::esi, imm(code));
    a_.lea(x86::rdx, x86::ptr(here));
    a_.mov(x86::rcx, x86::rbp);
    a_.mov(x86::r8, kInst);
    mov_address(x86::rax, &jit::raise_trap);
    a_.call(x86::rax);
    a_.int3();
  }

  // Operand slots [from, to) become 0: one store each for a few, rep stos for many.
  void zero_operand_slots(uint32_t from, uint32_t to) {
    if (from >= to) return;
    constexpr uint32_t kMaxStores = 8;
    a_.xor_(x86::eax, x86::eax);
    if (to - from <= kMaxStores) {
      for (uint32_t i = from; i < to; ++i) a_.mov(operand(i), x86::rax);
      return;
    }
    a_.lea(x86::rdi, operand(from));
    a_.mov(x86::ecx, imm(to - from));
    a_.rep().stosq();
  }

 public:
  // entry(fn, values, ctx, instance, memory_base, globals) in the SysV convention.
  void entry_trampoline(Label at, Label resume, Label leave_activation) override {
    bind(at);
    a_.push(x86::rbp);
    a_.mov(x86::rbp, x86::rsp);
    a_.push(x86::rbx);
    a_.push(x86::r12);
    a_.push(x86::r13);
    a_.push(x86::r14);
    a_.push(x86::r15);
    a_.sub(x86::rsp, 8);
    a_.mov(kCtx, x86::rdx);
    a_.mov(kInst, x86::rcx);
    a_.mov(kMemBase, x86::r8);
    a_.mov(kGlobals, x86::r9);
    a_.mov(x86::rax, x86::rdi);
    a_.mov(x86::rdi, x86::rsi);
    a_.call(x86::rax);
    asmjit::Label returned = a_.newLabel();
    a_.bind(returned);
    a_.add(x86::rsp, 8);
    a_.pop(x86::r15);
    a_.pop(x86::r14);
    a_.pop(x86::r13);
    a_.pop(x86::r12);
    a_.pop(x86::rbx);
    a_.pop(x86::rbp);
    a_.ret();

    // leave_activation(trampoline_fp): as if the call above returned, below the 5 saves and
    // the alignment word.
    bind(leave_activation);
    a_.mov(x86::rbp, x86::rdi);
    a_.lea(x86::rsp, x86::ptr(x86::rbp, -48));
    a_.jmp(returned);

    // resume(const ResumePoint*): the frame, the pinned registers, then the landing pad.
    bind(resume);
    a_.mov(x86::rbp, x86::qword_ptr(x86::rdi, offsetof(ResumePoint, fp)));
    a_.mov(x86::rsp, x86::qword_ptr(x86::rdi, offsetof(ResumePoint, sp)));
    a_.mov(kCtx, x86::qword_ptr(x86::rdi, offsetof(ResumePoint, ctx)));
    a_.mov(kInst, x86::qword_ptr(x86::rdi, offsetof(ResumePoint, inst)));
    a_.mov(kMemBase, x86::qword_ptr(x86::rdi, offsetof(ResumePoint, memory_base)));
    a_.mov(kGlobals, x86::qword_ptr(x86::rdi, offsetof(ResumePoint, globals)));
    a_.jmp(x86::qword_ptr(x86::rdi, offsetof(ResumePoint, pc)));
  }

  // Entered like the function: rdi holds the value area, the return address is on top.
  void lazy_stub(Label at, uint32_t defined_index, LazyCompile compile, Label failed) override {
    bind(at);
    a_.push(x86::rdi);  // also aligns the stack for the call
    a_.mov(x86::rdx, x86::rdi);
    a_.mov(x86::rdi, kCtx);
    a_.mov(x86::rsi, kInst);
    a_.mov(x86::ecx, imm(defined_index));
    mov_address(x86::rax, compile);
    a_.call(x86::rax);
    a_.pop(x86::rdi);
    a_.test(x86::rax, x86::rax);
    a_.jz(lbl(failed));
    a_.jmp(x86::rax);
  }

 private:
  CodeBuffer buffer_;
  x86::Assembler a_;
  X64SimdAssembler simd_;
  size_t frame_size_at_ = 0;
};

}  // namespace

std::unique_ptr<ModuleAssembler> make_x64_assembler(bool with_listing, size_t code_size_hint) {
  return std::make_unique<X64Assembler>(with_listing, code_size_hint);
}

}  // namespace tern::jit
