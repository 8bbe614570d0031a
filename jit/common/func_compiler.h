// The single-pass compiler: a FuncConsumer driven by the validator that emits native code
// through a MacroAssembler as each (already type-checked) instruction arrives. No IR. Its
// members are defined by concept: func_compiler.cpp (the per-instruction visitor, with the
// opcode tables of opcode_forms.h), value_stack.cpp (operands, registers, cached locals) and
// control_flow.cpp (entry and exit, blocks, branches, traps, fuel, interrupts).
//
// Value stack: each operand is a constant (folded into immediates where the target allows), a
// register, or its canonical operand slot (locals first, then the stack's values in order: one
// slot each, two for a v128, the value-area layout of engine/runtime/slots.h). Registers come
// from one bitset per register class (f32/f64/v128 in floating-point registers, everything else
// in general-purpose ones); when a class runs out, its deepest register operand
// is spilled to its slot. At block boundaries, branches and calls every operand goes to its
// canonical slot, which is the merge state every label expects.
//
// Locals: a local's home is its slot, but its value may also be cached in a register (kept
// when set, or loaded when read while a register is free), so that straight-line code and
// loops read and write locals without memory round trips. Branches write dirty cached locals
// back first, and a label other than a loop head starts with no cache. A loop head reads the
// loop's bytes ahead (loop_locals.h) and takes the locals the loop uses most in registers,
// evicting the others; the slots of those the loop assigns are taken as stale there. A branch
// back to the head writes back only what is not in its head register, and reloads what has
// moved. Calls write back and forget the cache (no register survives them). An instruction
// whose next one is local.set or local.tee of a cached local computes straight into that
// local's register (result_local).
//
// Reading a cached local pushes a Local operand that borrows the local's register instead of
// copying it: an instruction that leaves its operands intact (alu with a separate destination,
// a comparison) reads the register itself, and others copy it as they would a slot. Before the
// local's register changes (a set, an eviction), the borrowing operands get their own copy.
#pragma once

#include <algorithm>
#include <cstdint>
#include <deque>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "engine/runtime/objects.h"
#include "engine/validator/func_consumer.h"
#include "jit/common/loop_locals.h"
#include "jit/common/masm.h"

namespace tern::jit {

// The error for a SIMD instruction the backend does not compile on this host
// (backend_compiles_simd), which Tier::Auto answers with the interpreter.
Error simd_refusal(const Instr& in);

class FuncCompiler final : public FuncConsumer {
 public:
  // `func_labels` holds the entry labels of the defined functions assembled together with this
  // one, from defined function `first_labelled` on (a chunk of the module), and is empty when
  // each is compiled alone (lazily). Calls to those are direct; others go through `entries`,
  // the module's code table. `fuel_cells` receives one cell per fuel block (its cost), which
  // the code refers to by address.
  FuncCompiler(MacroAssembler& masm, const rt::CompiledModule& module,
               std::span<const Label> func_labels, uint32_t first_labelled,
               const std::atomic<const void*>* entries, std::deque<uint64_t>& fuel_cells,
               const Config& config);

  void begin(const ModuleInfo& module, uint32_t func_index, const FuncType& type,
             std::span<const ValType> locals) override;
  void instr(const Instr& in, std::span<const ValType> popped, std::span<const ValType> pushed,
             bool unreachable) override;
  std::optional<Error> finish() override;

 private:
  enum class Kind : uint8_t { Const, Reg, Slot, Compare, Local };
  struct Operand {
    ValType type = ValType::I32;
    Kind kind = Kind::Slot;
    // Reg: the register; Compare: the left-hand side; Local: the cached local's register.
    Reg reg = 0;
    uint64_t bits = 0;  // Const: the value; Compare: the right-hand side when it is an immediate
    // Compare: an i32 condition `reg cond rhs` not computed yet, so that br_if and if branch on
    // the comparison itself. Only ever the top operand, and only until the next instruction.
    Cond cond = Cond::Eq;
    Width width = Width::W32;
    bool rhs_in_reg = false;
    Reg rhs = 0;
    // Compare: its registers are cached locals' (not freed with it).
    bool lhs_borrowed = false, rhs_borrowed = false;
    uint32_t local = 0;  // Local: which
    uint32_t slot = 0;   // its first operand slot above the locals (set by push)
  };
  struct CachedLocal {
    uint32_t local = 0;
    Reg reg = 0;
    ValType type = ValType::I32;
    bool dirty = false;     // the slot is older than the register
    uint32_t last_use = 0;  // for evicting the least recently used
    RegClass cls() const { return reg_class(type); }
  };
  struct Ctrl {
    Opcode op = Opcode::Block;
    uint32_t height = 0;  // operand-stack height below the block's params
    std::vector<ValType> params, results;
    Label label;       // branch target: the loop head, or the end
    Label else_label;  // for if
    bool has_else = false;
    bool dead = false;          // entered in unreachable code: emit nothing until its end
    bool targeted = false;      // something other than fallthrough reaches the end
    uint32_t param_spares = 0;  // for if with params: where the else arm finds them (slots)
    std::span<const ValType> label_types() const { return op == Opcode::Loop ? params : results; }
    // The cached locals its label expects: a loop's from its entry, another's from the first
    // path to reach it. An if's else arm starts with else_cache.
    std::optional<std::vector<CachedLocal>> label_cache;
    std::vector<CachedLocal> else_cache;
    // try and try_table: their region in tries_ (-1 in dead code); `handler` is the same while
    // the body runs and -1 in a catch arm. A legacy try keeps the caught exnref (for rethrow)
    // in spare slot `exn_spare`.
    int32_t own_handler = -1, handler = -1;
    uint32_t exn_spare = 0;
  };

  // Value stack.
  // The operand slots a value takes: 16 bytes for a v128, 8 for everything else.
  static uint32_t slots_of(ValType t) { return t == ValType::V128 ? 2 : 1; }
  static uint32_t slots_of(std::span<const ValType> types) {
    uint32_t n = 0;
    for (ValType t : types) n += slots_of(t);
    return n;
  }
  // The operand slots the stack's values below `height` (at most height()) take.
  uint32_t stack_slots(uint32_t height) const {
    return height == 0 ? 0 : stack_[height - 1].slot + slots_of(stack_[height - 1].type);
  }
  Slot slot_at(uint32_t height) const {
    return Slot{Slot::Kind::Operand, num_local_slots_ + stack_slots(height)};
  }
  Slot local_slot(uint32_t index) const {
    return Slot{Slot::Kind::Operand, local_slots_.empty() ? index : local_slots_[index]};
  }
  static Slot next_slot(Slot s, uint32_t k) { return Slot{s.kind, s.index + k}; }
  uint32_t height() const { return uint32_t(stack_.size()); }
  void push(Operand op);
  void push_reg(ValType t, Reg r) { push({t, Kind::Reg, r, 0}); }
  void push_slot(ValType t) { push({t, Kind::Slot, 0, 0}); }
  // An operand that borrows cached local `local`'s register `r`.
  static Operand local_operand(ValType t, Reg r, uint32_t local) {
    Operand op{t, Kind::Local, r, 0};
    op.local = local;
    return op;
  }
  Operand pop();
  Reg pop_to_reg();
  Operand pop_condition();  // an i32 for br_if or if: a Compare as it is, else in a register
  Reg to_reg(const Operand& op, uint32_t at_height);  // at_height: where it was
  Reg alloc_reg(RegClass c);
  void free_reg(RegClass c, Reg r) { used_regs_[size_t(c)] &= ~(1u << r); }
  void free_operand(const Operand& op) {
    if (op.kind == Kind::Reg) free_reg(reg_class(op.type), op.reg);
    if (op.kind == Kind::Compare && !op.lhs_borrowed) free_reg(RegClass::Gp, op.reg);
    if (op.kind == Kind::Compare && op.rhs_in_reg && !op.rhs_borrowed) {
      free_reg(RegClass::Gp, op.rhs);
    }
  }
  // A Local's register as it is, or any other operand in a register of its own.
  Reg read_reg(const Operand& op, uint32_t at_height) {
    return op.kind == Kind::Local ? op.reg : to_reg(op, at_height);
  }
  void free_unless_borrowed(const Operand& op, Reg r) {
    if (op.kind != Kind::Local) free_reg(reg_class(op.type), r);
  }
  // A constant's bits as an immediate for the MacroAssembler: at W32 sign-extended from 32 bits.
  static int64_t as_imm(uint64_t bits, Width w) {
    return w == Width::W32 ? int64_t(int32_t(bits)) : int64_t(bits);
  }
  static RegClass reg_class(ValType t) {
    return t == ValType::F32 || t == ValType::F64 || t == ValType::V128 ? RegClass::Fp
                                                                        : RegClass::Gp;
  }
  // Pushes `lhs c rhs`, lhs from `lhs_height` and rhs from the height above.
  void push_compare(Cond c, Width w, const Operand& lhs, const Operand& rhs, uint32_t lhs_height);
  void materialize_compare();
  // Branches to `target` when the i32 `cond` (a register or a Compare) is nonzero, or when it
  // is zero if `if_zero`; frees its registers.
  void branch_on(const Operand& cond, bool if_zero, Label target);
  void flush_all();

  // Cached locals.
  CachedLocal* cached(uint32_t local);
  bool has_free_reg(RegClass c) const;
  // Moves of a value of type `t` in the registers of its class.
  void load(ValType t, Reg dst, Slot src);
  void store(Slot dst, ValType t, Reg src);
  void move(ValType t, Reg dst, Reg src);
  void copy_value(ValType t, Slot dst, Slot src);  // slot to slot, each of its slots
  void cache_local(uint32_t local, ValType t, Reg r, bool dirty);
  void store_local(const CachedLocal& e);  // its register to its slot
  void evict_local(size_t i);              // writes it back if dirty, frees its register
  // Gives the operands that borrow `local`'s register a copy of their own: a register if one
  // is free, else their slot.
  void end_borrows(uint32_t local);
  void write_back_locals();                                  // every dirty cached local to its slot
  void forget_locals();                                      // drops the cache, emitting nothing
  void adopt_locals(const std::vector<CachedLocal>& cache);  // at a label, emitting nothing
  void before_call() {
    write_back_locals();
    forget_locals();
  }
  bool cached_in(uint32_t local, Reg r) const;
  void local_get(uint32_t local, ValType t);
  void local_set(uint32_t local, bool tee);
  void truncate(uint32_t new_height);
  void store_operand(Slot dst, const Operand& op);

  // Control.
  void enter_block(const Instr& in, bool dead);
  void end_block(bool unreachable);
  void else_arm(bool unreachable, bool implicit);
  void branch_to(uint32_t depth);
  // br_if's branch to `depth` when the i32 `cond` is nonzero (a Compare as branch_on takes);
  // the caller begins the fuel block that follows.
  void br_if(uint32_t depth, const Operand& cond);
  // What taking a branch needs before its jump: dirty cached locals to their slots, the label's
  // values to the target's slots, and a loop head's cached locals to their registers.
  struct BranchPlan {
    Label target;
    std::vector<CachedLocal> stores;
    std::vector<std::pair<Slot, Slot>> copies;  // destination, source
    std::vector<CachedLocal> loads;
    bool empty() const { return stores.empty() && copies.empty() && loads.empty(); }
  };
  BranchPlan plan_branch(uint32_t depth);
  BranchPlan plan_transfer(Ctrl& target);
  void emit_transfer(const BranchPlan& plan);
  void emit_branch(const BranchPlan& plan);  // the transfer, then the jump
  void br_table(const Instr& in);
  // A loop head's cached locals: the loop's busiest locals (scan_loop_locals) in registers,
  // leaving kRegsForOperands of each class free; false if the scan could not say.
  bool cache_loop_locals(uint32_t loop_offset);
  const LoopLocals* loop_locals(uint32_t loop_offset);
  void begin_fuel_block();
  void check_interrupt();
  Label trap_label(TrapCode code);

  // Instructions.
  bool compile(const Instr& in, std::span<const ValType> popped, std::span<const ValType> pushed);
  bool inline_numeric(const Instr& in);
  bool inline_int_numeric(const Instr& in);
  // The cached local of type `t` that a local.set or local.tee right after `in` writes, so that
  // `in` computes its result in that local's register: read ahead from the bytes, as Liftoff
  // peeks at the next opcode (the validator checks that instruction next; a function it
  // rejects is not used). The operands borrowing the local get their own copies first.
  CachedLocal* result_local(const Instr& in, ValType t);
  // `in`'s result in `r`: the `target` local's register (result_local) or a register of its own.
  void push_result(ValType t, Reg r, CachedLocal* target);
  bool inline_float_numeric(const Instr& in);
  bool inline_conversion(const Instr& in);
  // `operands_are_roots`: the helper reads its operands after it may have collected (an
  // allocation), so the collector must see them; a call's arguments are its callee's instead.
  void call_helper(Helper fn, uint32_t operands, uint64_t imm, bool may_trap,
                   std::span<const ValType> results, bool result_in_register,
                   bool operands_are_roots = true);
  // The slots holding GC references while a call made at this point runs: the locals and the
  // operand stack's values below `live_height`.
  std::vector<Slot> gc_slots(uint32_t live_height) const;
  void record_safepoint(uint32_t live_height) { masm_.record_safepoint(gc_slots(live_height)); }
  void call(const Instr& in);
  // call_indirect and call_ref (and their tail forms): the inline IndirectCall, and the helper
  // call its generic path (or the whole call, when not inline) makes.
  void call_indirect(const Instr& in, const FuncType& type);
  bool inline_call_indirect(const Instr& in) const;
  IndirectCall indirect_call(const Instr& in, Slot values, uint32_t arg_slots);
  std::pair<Helper, uint64_t> generic_callee(const Instr& in, uint32_t arg_slots) const;
  void return_call(const Instr& in);
  // The operand slots from height `base` on are the value area of a call: kMinValueArea of them.
  void reserve_value_area(uint32_t base) {
    max_slots_ = std::max(max_slots_, stack_slots(base) + kMinValueArea);
  }
  void memory_access(const Instr& in);
  // memory64's bounds check of `addr` for access `a`; the offset the access then takes.
  uint64_t bound_access(const Instr& in, const MemAccess& a, Reg addr);
  void fail(const Instr& in, const char* why);

  // SIMD (func_compiler_simd.cpp): v128.const, the v128 loads and stores, and every other
  // 0xFD-prefixed instruction through SimdAssembler::op.
  bool compile_simd(const Instr& in, std::span<const ValType> popped,
                    std::span<const ValType> pushed);
  void simd_memory_access(const Instr& in, std::span<const ValType> popped);

  // Typed function references (func_compiler_typed_refs.cpp): ref.as_non_null, br_on_null and
  // br_on_non_null; call_ref and return_call_ref are indirect calls above.
  bool compile_typed_reference(const Instr& in, std::span<const ValType> pushed);
  // The reference `ref` (popped, read into `r` by read_reg) back on the stack as type `t`.
  void repush_reference(const Operand& ref, Reg r, ValType t);
  // The top reference, a branch's last label value, goes back on the stack in its slot (a
  // cached local as itself, which flush_all stores) and stays readable in the register
  // returned; `borrowed`: that register is the local's.
  Reg keep_label_reference(bool& borrowed);
  // A pending comparison of the reference in `r` with null.
  static Operand null_test(Reg r, Cond c, bool borrowed);

  // Wasm GC (func_compiler_gc.cpp): every GC instruction and ref.eq.
  bool compile_gc(const Instr& in, std::span<const ValType> pushed);
  void ref_test(const Instr& in);
  void ref_cast(const Instr& in, ValType to);
  void br_on_cast(const Instr& in, std::span<const ValType> pushed);

  // Exception handling (func_compiler_exceptions.cpp).
  void enter_try(const Instr& in, bool dead);  // try, try_table
  void catch_arm(const Instr& in, bool unreachable);
  void delegate(const Instr& in, bool unreachable);
  void close_try_body();  // at the end of the innermost block, if its try body is still open
  void rethrow(const Instr& in);
  // The handler covering code at ctrls_[ctrl] (in its body), or -1.
  int32_t nearest_handler(size_t ctrl) const;
  // Where a pending trap found just after a call goes: a stub of its own that raises it with
  // the call's return address, marked with the call's wasm offset for the backtrace (and in a
  // try body, so that the try's handlers apply).
  Label pending_trap_after_call();
  Label shared_pending_label();
  void emit_exception_stubs();

  MacroAssembler& masm_;
  const rt::CompiledModule& module_;
  std::span<const Label> func_labels_;
  uint32_t first_labelled_ = 0;
  const std::atomic<const void*>* entries_;
  std::deque<uint64_t>& fuel_cells_;
  const Config& config_;
  // v128 values compile: the backend has SIMD moves on this host (as SupportCheck decides).
  const bool v128_ok_;

  uint32_t func_index_ = 0;
  std::span<const ValType> local_types_;  // the validator's, valid until finish()
  // The scans of the outermost loop entered last and the loops nested in it, by offset.
  std::vector<LoopLocals> loop_scans_;
  uint32_t num_local_slots_ = 0;  // the slots of the locals (params included)
  // Each local's first slot, when a v128 local makes them differ from the locals' indices.
  std::vector<uint32_t> local_slots_;
  std::vector<Slot> gc_local_slots_;  // the slots of locals that may hold GC references
  std::vector<ValType> results_;
  // How many slots the caller's value area holds: the parameters' or the results', the more.
  uint32_t value_area_size_ = 0;
  std::vector<Operand> stack_;
  std::vector<Ctrl> ctrls_;
  uint32_t used_regs_[2] = {};  // by RegClass
  // By RegClass: the registers of Local operands the current instruction has popped, whose
  // locals alloc_reg must not evict until it is done.
  uint32_t pinned_regs_[2] = {};
  std::vector<CachedLocal> cache_;
  uint32_t use_clock_ = 0;
  uint32_t loop_depth_ = 0;   // live loops around the current instruction
  bool cache_locals_ = true;  // off under fuel, whose helper call at every block empties it
  uint32_t max_slots_ = 0;    // the operand stack's slots at most
  uint32_t spares_ = 0;
  uint64_t* fuel_cell_ = nullptr;
  Label exit_label_;
  Label stack_exhausted_;
  // The trap stubs, one per trap code and wasm instruction, so that each one's address tells
  // the backtrace where it was raised.
  struct TrapStub {
    TrapCode code;
    uint32_t wasm_offset;
    Label label;
  };
  std::vector<TrapStub> trap_labels_;
  uint32_t wasm_offset_ = kUnknownWasmOffset;  // of the instruction being compiled
  uint32_t body_offset_ = 0;                   // of the function's body: its prologue's traps
  // call_indirect's and call_ref's out-of-line helper calls, emitted after the body.
  struct GenericCall {
    Label at, resume;
    Slot values;
    Helper fn = nullptr;
    uint64_t imm = 0;
    Label pending;               // where its trap goes (pending_trap_after_call)
    std::vector<Slot> gc_slots;  // the inline call's
  };
  std::vector<GenericCall> generic_calls_;
  std::vector<std::pair<Label, BranchPlan>> branch_stubs_;  // br_if's taken paths
  std::optional<Label> pending_label_;
  // Exception handling: the try regions in the order they open, try_table's landing pads
  // (emitted after the body), and the raise stubs of call sites inside try bodies.
  std::vector<TryRegionLabels> tries_;
  struct LandingPad {
    Label at;
    Slot values;  // where the label's values go
    uint64_t flags = 0;
    BranchPlan plan;
  };
  std::vector<LandingPad> landing_pads_;
  std::vector<std::pair<Label, Label>> site_raises_;  // stub, call site
  std::optional<Error> error_;
};

}  // namespace tern::jit
