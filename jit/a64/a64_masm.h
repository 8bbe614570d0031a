// The AArch64 backend: the MacroAssembler on asmjit's a64::Assembler (used as an encoder only).
// Its methods are spread over a64_masm.cpp (frame, moves, integers, memory, branches),
// a64_float.cpp (floating point), a64_calls.cpp (calls, traps, trampoline, lazy stubs) and
// a64_memory.cpp (memories other than memory 0, memory64's bounds checks).
//
// Registers: x19 = JitContext*, x20 = rt::Instance*, x21 = memory 0's base, x22 = the instance's
// GlobalInstance* array; x8, x9, x16 are scratch and x17 only forms addresses; x0-x7, x10-x15
// and x23-x28 are allocatable; v0-v29 are the allocatable floating-point registers, v30 and
// v31 scratch. None survives a call: the compiler spills every operand first, so only the
// entry trampoline saves the host's callee-saved registers (x19-x28, d8-d15). x18 (the
// platform register) is never touched.
// Frame: stp x29, x30, [sp, #-16]!; mov x29, sp; sp -= F. [x29-8] holds the value-area pointer,
// spare slot j is [x29-16-8j], operand slot k is [sp+8k]; F (a multiple of 16) is patched into
// a movz and a movk at the end. The frame-pointer chain (x29 -> {caller's x29, x30}) is what
// the trap unwinder walks, as on x86-64.
#pragma once

#include <asmjit/arm/a64assembler.h>
#include <asmjit/core.h>

#include "jit/a64/far_branch_assembler.h"
#include "jit/common/code_buffer.h"
#include "jit/common/masm.h"

namespace tern::jit {

std::unique_ptr<ModuleAssembler> make_a64_assembler(bool with_listing, size_t code_size_hint = 0);

namespace a64_backend {

namespace a64 = asmjit::a64;

inline constexpr uint32_t kAllocatable[] = {0,  1,  2,  3,  4,  5,  6,  7,  10, 11,
                                            12, 13, 14, 15, 23, 24, 25, 26, 27, 28};
inline constexpr uint32_t kNumFpRegs = 30;
inline const a64::GpX kCtx = a64::x19, kInst = a64::x20, kMemBase = a64::x21, kGlobals = a64::x22;
inline const a64::GpX kTmp = a64::x16, kTmp2 = a64::x9, kTmp3 = a64::x8, kAddr = a64::x17;
inline const a64::VecD kFpTmp = a64::d31, kFpTmp2 = a64::d30;

class A64SimdAssembler;

class A64Assembler final : public ModuleAssembler {
 public:
  A64Assembler(bool with_listing, size_t code_size_hint);

  uint32_t num_regs(RegClass c) const override;
  bool can_round_fp() const override { return true; }
  bool can_count_ones() const override { return true; }
  Label new_label() override { return Label{a_.newLabel().id()}; }
  void bind(Label l) override { a_.bind(lbl(l)); }
  void comment(const std::string& text) override;

  void begin_function(Label entry, uint32_t num_params, uint32_t num_locals,
                      Label stack_exhausted) override;
  uint32_t finish_frame(uint32_t operand_slots, uint32_t spare_slots) override;
  void add_handler_table(uint32_t frame_bytes, std::vector<TryRegionLabels> regions) override {
    buffer_.add_handler_table(frame_bytes, std::move(regions));
  }
  void return_from_function(Slot results, uint32_t num_results) override;

  void load_slot(Reg dst, Slot src) override;
  void store_slot(Slot dst, Reg src) override;
  void store_slot_imm(Slot dst, uint64_t bits) override;
  void copy_slot(Slot dst, Slot src) override;
  void mov_imm(Reg dst, uint64_t bits) override { move_imm(x(dst), bits); }
  void mov(Reg dst, Reg src) override { a_.mov(x(dst), x(src)); }
  void load_slot_fp(Reg dst, Slot src) override;
  void store_slot_fp(Slot dst, Reg src) override;
  void mov_imm_fp(Reg dst, uint64_t bits) override;
  void mov_fp(Reg dst, Reg src) override { a_.fmov(d(dst), d(src)); }
  void move_to_fp(Reg dst, Reg src) override { a_.fmov(d(dst), x(src)); }
  void move_from_fp(Reg dst, Reg src) override { a_.fmov(x(dst), d(src)); }

  bool encodes_imm(AluOp op, Width w, int64_t imm) const override;
  bool encodes_imm(Cond c, Width w, int64_t imm) const override;
  void alu(AluOp op, Width w, Reg dst, Reg lhs, Reg rhs) override;
  void alu_imm(AluOp op, Width w, Reg dst, Reg lhs, int64_t imm) override;
  void compare(Cond c, Width w, Reg dst, Reg lhs, Reg rhs) override;
  void compare_imm(Cond c, Width w, Reg dst, Reg lhs, int64_t imm) override;
  void zero_extend_32(Reg r) override { a_.mov(w(r), w(r)); }
  void sign_extend(uint8_t from_bytes, Width width, Reg r) override;
  void divide(DivOp op, Width w, Reg dst, Reg src, Label div_by_zero, Label overflow) override;
  void count_bits(BitCount op, Width w, Reg r) override;
  void select(Reg dst, Reg other, Reg cond) override;
  void select_fp(Reg dst, Reg other, Reg cond) override;

  void fp_binary(FpOp op, Width w, Reg dst, Reg src) override;
  void fp_unary(FpUnaryOp op, Width w, Reg r) override;
  void fp_compare(FpCond c, Width w, Reg dst, Reg lhs, Reg rhs) override;
  void convert_fp(Width to, Reg r) override;
  void convert_int_to_fp(IntFp c, Reg fp_dst, Reg gp_src) override;
  void truncate_fp_to_int(IntFp c, Reg gp_dst, Reg fp_src, Label invalid, Label overflow) override;
  void truncate_fp_to_int_sat(IntFp c, Reg gp_dst, Reg fp_src) override;

  void load(MemAccess a, Reg dst, Reg addr, uint64_t offset) override;
  void store(MemAccess a, Reg addr, uint64_t offset, Reg value) override;
  void load_fp(MemAccess a, Reg fp_dst, Reg addr, uint64_t offset) override;
  void store_fp(MemAccess a, Reg addr, uint64_t offset, Reg fp_value) override;
  void load_memory_base(Reg dst, uint32_t memory) override;
  void check_memory_bounds(uint32_t memory, Reg addr, uint64_t end, Label out_of_bounds) override;

  void load_global(Reg dst, uint32_t index) override;
  void store_global(uint32_t index, Reg src) override;
  void load_global_fp(Reg fp_dst, uint32_t index) override;
  void store_global_fp(uint32_t index, Reg fp_src) override;

  void jump(Label target) override { a_.b(lbl(target)); }
  void branch_if_zero(Reg cond, Label target) override { a_.cbz(w(cond), lbl(target)); }
  void branch_if_nonzero(Reg cond, Label target) override { a_.cbnz(w(cond), lbl(target)); }
  void branch_if_equal(Reg value, uint32_t imm, Label target) override;
  void jump_table(Reg index, std::span<const Label> targets, Label otherwise) override;
  void branch_if(Cond c, Width w, Reg lhs, Reg rhs, Label target) override;
  void branch_if_imm(Cond c, Width w, Reg lhs, int64_t imm, Label target) override;

  void call_direct(Label callee, Slot values) override;
  void call_entry(const std::atomic<const void*>* entry, Slot values) override;
  void call_indirect(const IndirectCall& call) override;
  void tail_call_direct(Label callee, Slot args, uint32_t num_args) override;
  void tail_call_entry(const std::atomic<const void*>* entry, Slot args,
                       uint32_t num_args) override;
  void call_helper(Helper fn, Slot values, uint64_t imm) override;
  void record_safepoint(std::span<const Slot> gc_slots) override;
  void move_helper_result(Reg dst) override { a_.mov(x(dst), a64::x0); }
  void branch_if_trap_pending(Label target) override;
  void branch_if_interrupted(Label target) override;

  void set_wasm_offset(uint32_t wasm_offset) override { buffer_.set_wasm_offset(wasm_offset); }
  void mark_wasm_offset() override { buffer_.mark_wasm_offset(a_.offset()); }
  void raise_trap(TrapCode code) override { emit_raise(uint32_t(code)); }
  void raise_pending_trap() override { emit_raise(kPendingTrap); }
  void raise_pending_trap_at(Label site) override { emit_raise(kPendingTrap, lbl(site)); }

  void entry_trampoline(Label at, Label resume, Label leave_activation) override;
  void lazy_stub(Label at, uint32_t defined_index, LazyCompile compile, Label failed) override;
  Result<void> finalize(CodeBlock& out) override { return buffer_.finalize(out); }
  const void* address_of(Label label) const override { return buffer_.address_of(lbl(label)); }
  std::string listing() const override { return buffer_.listing(); }
  SimdAssembler* simd() override;  // a64_simd.cpp

 private:
  friend class A64SimdAssembler;

  static asmjit::Label lbl(Label l) { return asmjit::Label(l.id); }
  static a64::GpX x(Reg r) { return a64::x(kAllocatable[r]); }
  static a64::GpW w(Reg r) { return a64::w(kAllocatable[r]); }
  static a64::Gp gp(Reg r, Width width) {
    return width == Width::W32 ? a64::Gp(w(r)) : a64::Gp(x(r));
  }
  static a64::VecD d(Reg r) { return a64::d(r); }
  static a64::VecS s(Reg r) { return a64::s(r); }
  static a64::Vec fp(Reg r, Width width) {
    return width == Width::W32 ? a64::Vec(s(r)) : a64::Vec(d(r));
  }

  // dst = bits, in the fewest movz/movn/movk (or one orr of a logical immediate).
  void move_imm(const a64::GpX& dst, uint64_t bits);
  // dst = a runtime address, always as movz and three movk, recorded as an address site
  // (code_address.h): the module cache rewrites it when it loads the code elsewhere.
  void move_address(const a64::GpX& dst, uint64_t address);
  // [base + offset] for an access of `size` bytes: the scaled or unscaled immediate form, or
  // the address formed in x17 when neither encodes it. `base` must not be x17.
  asmjit::a64::Mem mem(const a64::GpX& base, int64_t offset, uint32_t size);
  // Emits `scaled` (ldr/str forms) or, for a small negative or unaligned offset, `unscaled`
  // (ldur/stur forms) on `reg` at [base + offset].
  void access(asmjit::InstId scaled, asmjit::InstId unscaled, const asmjit::Operand& reg,
              const a64::GpX& base, int64_t offset, uint32_t size);
  void slot_access(asmjit::InstId scaled, asmjit::InstId unscaled, const asmjit::Operand& reg,
                   Slot s);
  void store_slot_from(const a64::GpX& src, Slot dst);
  // dst = the address of slot `s` (a value area for a call).
  void slot_address(const a64::GpX& dst, Slot s);
  // Flags for `lhs - imm` (cmp/cmn when the immediate encodes, else through x16).
  void compare_with(Width w, Reg lhs, int64_t imm);
  // x17 = the memory's base (memory 0's, or the one in m.base) + offset when offset is not 0;
  // the access is then at [x17 or the base, the address zero-extended].
  asmjit::a64::Mem address(const MemAccess& m, Reg addr, uint64_t offset);
  // dst = Instance::memories[memory], the MemoryInstance*.
  void load_memory_instance(const a64::GpX& dst, uint32_t memory);
  // Raises `code` with the stub's own address as the pc, or that of `site` (bound before it).
  void emit_raise(uint32_t code, asmjit::Label site = {});
  void leave_for_tail_call(Slot args, uint32_t num_args);
  void zero_operand_slots(uint32_t from, uint32_t to);
  void truncate_checked(IntFp c, Reg dst, Reg src, asmjit::Label invalid, asmjit::Label overflow);
  // fp scratch = the f32 or f64 `value`.
  void fp_const(const a64::Vec& dst, bool f32, double value);

  // The offset of the instruction just emitted (a branch island may precede it).
  size_t last_instruction() const { return a_.offset() - 4; }

  CodeBuffer buffer_;
  FarBranchAssembler a_;
  // The movz and movk begin_function leaves for finish_frame (an island may separate them).
  size_t frame_size_at_[2] = {0, 0};
  std::unique_ptr<SimdAssembler> simd_;  // an A64SimdAssembler, made on first use
};

// The A64 condition of a wasm integer compare.
asmjit::arm::CondCode cond_code(Cond c);

}  // namespace a64_backend

}  // namespace tern::jit
