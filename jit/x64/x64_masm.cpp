// The x86-64 backend: the MacroAssembler on asmjit's x86::Assembler (used as an encoder only).
//
// Registers: r15 = JitContext*, r13 = rt::Instance*, r14 = memory 0's base, r12 = the
// instance's GlobalInstance* array; rax, rcx, rdx are scratch; rbx, rsi, rdi, r8-r11 are
// allocatable. None survives a call: the compiler spills every operand first, so only the
// entry trampoline saves the host's callee-saved registers.
// Frame: push rbp; mov rbp, rsp; sub rsp, F. [rbp-8] holds the value-area pointer, spare slot j
// is [rbp-16-8j], operand slot k is [rsp+8k]; F (a multiple of 16) is patched in at the end.
#include <asmjit/core.h>
#include <asmjit/x86.h>

#include <cstddef>
#include <cstring>

#include "jit/common/masm.h"

namespace tern::jit {

namespace {

using namespace asmjit;
using x86::Gp;

constexpr uint32_t kAllocatable[] = {
    x86::Gp::kIdBx, x86::Gp::kIdSi,  x86::Gp::kIdDi,  x86::Gp::kIdR8,
    x86::Gp::kIdR9, x86::Gp::kIdR10, x86::Gp::kIdR11,
};
const Gp kCtx = x86::r15, kInst = x86::r13, kMemBase = x86::r14, kGlobals = x86::r12;

// The code memory allocator: dual-mapped, so no page is ever writable and executable at once.
JitAllocator& code_allocator() {
  static JitAllocator* allocator = [] {
    JitAllocator::CreateParams params{};
    params.options = JitAllocatorOptions::kUseDualMapping;
    return new JitAllocator(&params);  // lives as long as the process: code may outlive engines
  }();
  return *allocator;
}

void release_code(void* rx) {
  code_allocator().release(rx);
}

class X64Assembler final : public ModuleAssembler {
 public:
  explicit X64Assembler(bool with_listing) {
    code_.init(Environment::host());
    if (with_listing) code_.setLogger(&logger_);
    code_.attach(&a_);
    emit_entry_trampoline();
  }

  uint32_t num_regs() const override { return uint32_t(std::size(kAllocatable)); }
  asmjit::Label lbl(Label l) const { return asmjit::Label(l.id); }
  Label new_label() override { return Label{a_.newLabel().id()}; }
  void bind(Label l) override { a_.bind(lbl(l)); }

  void begin_function(Label entry, uint32_t, Label stack_exhausted) override {
    a_.align(AlignMode::kCode, 16);
    bind(entry);
    func_offsets_.push_back(uint32_t(a_.offset()));
    a_.push(x86::rbp);
    a_.mov(x86::rbp, x86::rsp);
    // sub rsp, imm32, with the immediate patched by finish_frame.
    a_.db(0x48);
    a_.db(0x81);
    a_.db(0xEC);
    frame_size_at_ = a_.offset();
    a_.dd(0);
    a_.mov(x86::qword_ptr(x86::rbp, -8), x86::rdi);
    a_.cmp(x86::rsp, x86::qword_ptr(kCtx, offsetof(JitContext, stack_limit)));
    a_.jb(lbl(stack_exhausted));
    a_.mov(x86::eax, x86::dword_ptr(kCtx, offsetof(JitContext, depth)));
    a_.inc(x86::eax);
    a_.mov(x86::dword_ptr(kCtx, offsetof(JitContext, depth)), x86::eax);
    a_.cmp(x86::eax, x86::dword_ptr(kCtx, offsetof(JitContext, max_depth)));
    a_.ja(lbl(stack_exhausted));
  }

  void finish_frame(uint32_t operand_slots, uint32_t spare_slots) override {
    uint64_t bytes = (uint64_t(operand_slots) + spare_slots + 1) * 8;
    bytes = (bytes + 15) & ~uint64_t(15);
    uint32_t imm = uint32_t(bytes);
    std::memcpy(code_.textSection()->buffer().data() + frame_size_at_, &imm, 4);
  }

  void load_param(Reg dst, uint32_t index) override {
    a_.mov(x86::rax, x86::qword_ptr(x86::rbp, -8));
    a_.mov(q(dst), x86::qword_ptr(x86::rax, int32_t(index * 8)));
  }
  void store_result(uint32_t index, Reg src) override {
    a_.mov(x86::rax, x86::qword_ptr(x86::rbp, -8));
    a_.mov(x86::qword_ptr(x86::rax, int32_t(index * 8)), q(src));
  }
  void return_from_function() override {
    a_.dec(x86::dword_ptr(kCtx, offsetof(JitContext, depth)));
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

  void alu(AluOp op, Width w, Reg dst, Reg src) override {
    Gp x = r(dst, w), y = r(src, w);
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
      case AluOp::Xor:
        a_.xor_(x, y);
        break;
      default:
        // Shifts and rotates take the count in cl and mask it to the width, as wasm does.
        a_.mov(x86::ecx, d(src));
        shift(op, x, x86::cl);
        break;
    }
  }
  void alu_imm(AluOp op, Width w, Reg dst, int32_t value) override {
    Gp x = r(dst, w);
    switch (op) {
      case AluOp::Add:
        a_.add(x, value);
        break;
      case AluOp::Sub:
        a_.sub(x, value);
        break;
      case AluOp::Mul:
        a_.imul(x, x, value);
        break;
      case AluOp::And:
        a_.and_(x, value);
        break;
      case AluOp::Or:
        a_.or_(x, value);
        break;
      case AluOp::Xor:
        a_.xor_(x, value);
        break;
      default:
        shift(op, x, imm(value & (w == Width::W32 ? 31 : 63)));
        break;
    }
  }
  void compare(Cond c, Width w, Reg dst, Reg lhs, Reg rhs) override {
    a_.cmp(r(lhs, w), r(rhs, w));
    set(c, dst);
  }
  void compare_imm(Cond c, Width w, Reg dst, Reg lhs, int32_t value) override {
    a_.cmp(r(lhs, w), value);
    set(c, dst);
  }
  void zero_extend_32(Reg reg) override { a_.mov(d(reg), d(reg)); }
  void sign_extend_32(Reg reg) override { a_.movsxd(q(reg), d(reg)); }
  void select(Reg dst, Reg other, Reg cond) override {
    a_.test(d(cond), d(cond));
    a_.cmovz(q(dst), q(other));
  }

  void load(MemAccess m, Reg dst, Reg addr, uint64_t offset) override {
    x86::Mem at = address(addr, offset);
    fault_sites_.push_back(uint32_t(a_.offset()));
    switch (m.bytes) {
      case 1:
        at.setSize(1);
        if (m.sign_extend)
          a_.movsx(r(dst, m.width), at);
        else
          a_.movzx(d(dst), at);
        break;
      case 2:
        at.setSize(2);
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
    x86::Mem at = address(addr, offset);
    fault_sites_.push_back(uint32_t(a_.offset()));
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

  void load_global(Reg dst, uint32_t index) override {
    a_.mov(x86::rax, x86::qword_ptr(kGlobals, int32_t(index * 8)));
    a_.mov(q(dst), x86::qword_ptr(x86::rax, offsetof(rt::GlobalInstance, value)));
  }
  void store_global(uint32_t index, Reg src) override {
    a_.mov(x86::rax, x86::qword_ptr(kGlobals, int32_t(index * 8)));
    a_.mov(x86::qword_ptr(x86::rax, offsetof(rt::GlobalInstance, value)), q(src));
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

  void call_direct(Label callee, Slot values) override {
    a_.lea(x86::rdi, slot(values));
    a_.call(lbl(callee));
  }
  void call_helper(Helper fn, Slot values, uint64_t imm_value) override {
    a_.mov(x86::rdi, kCtx);
    a_.mov(x86::rsi, kInst);
    a_.lea(x86::rdx, slot(values));
    a_.mov(x86::rcx, imm(imm_value));
    a_.mov(x86::rax, imm(reinterpret_cast<uint64_t>(fn)));
    a_.call(x86::rax);
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

  void raise_trap(TrapCode code) override { emit_raise(uint32_t(code)); }
  void raise_pending_trap() override { emit_raise(kPendingTrap); }

  Result<void> finalize(JitModule& out) override {
    code_.flatten();
    if (code_.resolveUnresolvedLinks() != kErrorOk) return Error::invalid("jit: unresolved label");
    size_t size = code_.codeSize();
    void* rx = nullptr;
    void* rw = nullptr;
    if (code_allocator().alloc(&rx, &rw, size) != kErrorOk) {
      return Error{ErrorKind::Limit, "jit: cannot allocate executable memory", {}, {}};
    }
    code_.relocateToBase(uint64_t(uintptr_t(rx)));
    code_.copyFlattenedData(rw, size, CopySectionFlags::kPadSectionBuffer);
    VirtMem::flushInstructionCache(rx, size);
    out.code = static_cast<const uint8_t*>(rx);
    out.code_size = size;
    out.release_token = rx;
    out.release = release_code;
    out.entry = reinterpret_cast<JitModule::Entry>(rx);
    out.func_offsets = func_offsets_;
    out.fault_sites = fault_sites_;
    return {};
  }

  std::string listing() const override { return std::string(logger_.data(), logger_.dataSize()); }

 private:
  static Gp q(Reg reg) { return x86::gpq(kAllocatable[reg]); }
  static Gp d(Reg reg) { return x86::gpd(kAllocatable[reg]); }
  static Gp r(Reg reg, Width w) { return w == Width::W32 ? d(reg) : q(reg); }

  static x86::Mem slot(Slot s) {
    if (s.kind == Slot::Kind::Operand) return x86::qword_ptr(x86::rsp, int32_t(s.index * 8));
    return x86::qword_ptr(x86::rbp, -16 - int32_t(s.index * 8));
  }

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

  void set(Cond c, Reg dst) {
    static constexpr x86::CondCode kCodes[] = {
        x86::CondCode::kE,  x86::CondCode::kNE, x86::CondCode::kL,  x86::CondCode::kB,
        x86::CondCode::kG,  x86::CondCode::kA,  x86::CondCode::kLE, x86::CondCode::kBE,
        x86::CondCode::kGE, x86::CondCode::kAE,
    };
    a_.set(kCodes[size_t(c)], x86::al);
    a_.movzx(d(dst), x86::al);
  }

  // [membase + zero-extended addr + offset]; offsets past a disp32 are added in 64 bits. The
  // reservation behind memory 0 covers any 32-bit address plus any 32-bit offset.
  x86::Mem address(Reg addr, uint64_t offset) {
    a_.mov(x86::eax, d(addr));
    if (offset <= uint64_t(INT32_MAX)) return x86::ptr(kMemBase, x86::rax, 0, int32_t(offset));
    a_.mov(x86::rcx, imm(offset));
    a_.add(x86::rax, x86::rcx);
    return x86::ptr(kMemBase, x86::rax);
  }

  void emit_raise(uint32_t code) {
    asmjit::Label here = a_.newLabel();
    a_.bind(here);
    a_.mov(x86::rdi, kCtx);
    a_.mov(x86::esi, imm(code));
    a_.lea(x86::rdx, x86::ptr(here));
    a_.mov(x86::rcx, x86::rbp);
    a_.mov(x86::r8, kInst);
    a_.mov(x86::rax, imm(reinterpret_cast<uint64_t>(&jit::raise_trap)));
    a_.call(x86::rax);
    a_.int3();
  }

  // entry(fn, values, ctx, instance, memory_base, globals) in the SysV convention.
  void emit_entry_trampoline() {
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
    a_.add(x86::rsp, 8);
    a_.pop(x86::r15);
    a_.pop(x86::r14);
    a_.pop(x86::r13);
    a_.pop(x86::r12);
    a_.pop(x86::rbx);
    a_.pop(x86::rbp);
    a_.ret();
  }

  CodeHolder code_;
  StringLogger logger_;
  x86::Assembler a_;
  size_t frame_size_at_ = 0;
  std::vector<uint32_t> func_offsets_;
  std::vector<uint32_t> fault_sites_;
};

}  // namespace

std::unique_ptr<ModuleAssembler> make_module_assembler(bool with_listing) {
  return std::make_unique<X64Assembler>(with_listing);
}

}  // namespace tern::jit
