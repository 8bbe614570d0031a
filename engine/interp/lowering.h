// Lowering: a FuncConsumer that turns validated wasm into the slot-addressed threaded code of
// code.h, in the validator's single pass.
//
// The lowering keeps a compile-time model of the operand stack. Each entry has a home slot (fixed
// by its position) and says where its value is right now: in its home, in a local's slot (a
// `local.get` that has emitted nothing yet) or a constant (an immediate operand, or written to
// its home only when needed). Values are put in their homes only where control flow merges
// (block boundaries, branches) and for calls, so straight-line code reads locals directly.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "engine/interp/code.h"
#include "engine/interp/interpreter.h"
#include "engine/runtime/objects.h"
#include "engine/validator/func_consumer.h"

namespace tern::interp {

// The fused compare-and-branch op (its `_ss` form) for an integer compare, or Count_.
Op branch_compare_op(Opcode op);
// The integer compare true exactly when `op` is false.
Opcode negated_compare(Opcode op);
// Whether a value of type `t` is 64 bits wide (its constants take a 64-bit immediate).
bool is_wide(ValType t);

class Lowerer final : public FuncConsumer {
 public:
  explicit Lowerer(const Config& config);

  void begin(const ModuleInfo& module, uint32_t func_index, const FuncType& type,
             std::span<const ValType> locals) override;
  void instr(const Instr& in, std::span<const ValType> popped, std::span<const ValType> pushed,
             bool unreachable) override;
  std::optional<Error> finish() override;

  FuncCodePtr take() { return std::move(out_); }

  // The code sink of the generated emitters (emit.h): starts an instruction, appends a unit.
  void emit(Op op);
  void u32(uint32_t v) { code().push_back(v); }

 private:
  enum class Kind : uint8_t { Stack, Local, Const };
  struct Entry {
    ValType type;
    Kind kind;
    uint32_t home;       // byte offset of the home slot
    uint32_t local = 0;  // Kind::Local: the local's index
    uint64_t bits = 0;   // Kind::Const: the value's bits
  };
  // A forward jump's operand, relative to the start of its instruction.
  struct Fixup {
    uint32_t operand;
    uint32_t instr;
  };
  struct Ctrl {
    Opcode op = Opcode::Block;
    bool dead = false;       // entered in unreachable code: nothing is emitted for it
    size_t height = 0;       // stack entries below the block's params
    uint32_t base_home = 0;  // home of the first label value
    std::vector<ValType> params, results;
    uint32_t loop_pos = 0;
    std::vector<Fixup> fixups;
    std::optional<Fixup> else_fixup;
    // Exception handling: the handler covering this block's body while it may catch (-1 when
    // none), and for a legacy try in a catch arm, the home of the caught exception, which sits
    // below the arm's operands (its results move down over it at the arm's end).
    int32_t handler = -1;
    int32_t own_handler = -1;  // the handler a try_table or legacy try opened
    uint32_t exn_home = 0;
    std::span<const ValType> labels() const { return op == Opcode::Loop ? params : results; }
  };

  // Jumps. Every jump op ends with its target: a loop header is behind it and known, a block's
  // end is bound later through the Fixup that `link` records for the unit just written.
  int32_t jump_offset(const Ctrl& target);  // for a jump op about to be emitted
  void link(Ctrl& target);
  Fixup last_unit_fixup() { return Fixup{here() - 1, instr_start_}; }
  void emit_jump(Ctrl& target);
  void bind(const Fixup& f, uint32_t pos);
  void begin_fuel_block();
  uint32_t here() { return uint32_t(code().size()); }
  std::vector<Unit>& code() { return out_->code; }
  // Marks the instruction just emitted as one whose destination `local.set` may retarget.
  void set_retargetable(uint32_t dst);

  // The operand-stack model.
  uint32_t home_at(size_t height) const;
  uint32_t push_stack(ValType t);
  void push_local(uint32_t index);
  void push_const(ValType t, uint64_t bits);
  Entry pop();
  void materialize(Entry& e);  // puts e's value in its home
  void materialize_all();
  void materialize_refs_to(uint32_t local);
  uint32_t operand(Entry& e);  // the slot holding e's value (constants go to their home)
  void move(const Entry& e, uint32_t dst);
  void reset_stack(size_t height, std::span<const ValType> types);

  // An integer compare just emitted, which a following br_if or if can fuse with (the compare
  // is then removed and the branch tests its operands). eqz is recorded as `eq a, 0`. The same
  // record describes an i32.add (last_add_) that a following load or store may absorb.
  struct Compare {
    Opcode op;
    uint32_t start;  // code position of the compare
    uint32_t a;
    bool b_imm;
    uint64_t b;     // slot, or the immediate
    uint32_t home;  // where the compare put its result
  };
  void forget_last() {
    last_dst_.reset();
    last_compare_.reset();
    last_add_.reset();
  }
  // If `cond` is the result of the compare just emitted, removes the compare and returns it.
  std::optional<Compare> take_compare(const Entry& cond);
  // Emits a jump to `target` (an offset, see jump_offset) taken when the condition is `if_true`.
  void cond_jump(const std::optional<Compare>& cmp, uint32_t cond_slot, bool if_true,
                 int32_t target);

  // Instruction families, one file each (lower_*.cpp). Each but `control` returns whether the
  // instruction was of its family.
  void control(const Instr& in, bool unreachable);
  bool branches(const Instr& in);
  bool variables_and_calls(const Instr& in, std::span<const ValType> pushed);
  bool memory(const Instr& in, std::span<const ValType> pushed);
  bool tables_and_refs(const Instr& in, std::span<const ValType> pushed);
  bool numeric(const Instr& in, std::span<const ValType> pushed);
  bool simd(const Instr& in, std::span<const ValType> pushed);
  // A v128 load or store on a memory other than a 32-bit memory 0.
  bool simd_access_any(const Instr& in, std::span<const ValType> pushed);

  // Typed function references (lower_typed_refs.cpp): call_ref, return_call_ref,
  // ref.as_non_null, br_on_null, br_on_non_null.
  bool typed_references(const Instr& in);

  // GC without a heap (lower_i31.cpp): ref.i31, i31.get_s, i31.get_u, ref.eq.
  bool i31_and_ref_eq(const Instr& in, std::span<const ValType> pushed);
  // GC casts and the extern/any conversions (lower_casts.cpp).
  bool casts(const Instr& in, std::span<const ValType> pushed);
  // Struct and array instructions (lower_gc_objects.cpp).
  bool gc_objects(const Instr& in, std::span<const ValType> pushed);

  // Exception handling (lower_exceptions.cpp): try_table, the legacy try and its arms, throw,
  // throw_ref, rethrow.
  void exception_control(const Instr& in, bool unreachable);
  bool exceptions(const Instr& in);
  int32_t nearest_handler(size_t ctrl) const;  // the active handler at ctrls_[ctrl] or outside
  int32_t open_handler();
  void catch_pads(const Instr& in, Handler& handler);
  void end_arm(Ctrl& c);
  static bool is_exception_block(Opcode op) {
    return op == Opcode::TryTable || op == Opcode::Try || op == Opcode::Catch ||
           op == Opcode::CatchAll;
  }

  // GC (FuncCode::gc_map): whether a value of type `t` may point into the GC heap, and the
  // record of the safepoint the instruction just emitted ends at: the operand slots then
  // holding such values. A call's is taken once its arguments are popped and before its
  // results are pushed; an allocation's (allocation_safepoint) leaves out the result it has
  // just pushed, which is not written yet, and adds the operands it still reads.
  bool holds_gc(ValType t) const;
  void safepoint(std::span<const Entry> consumed = {}, size_t live = SIZE_MAX);
  void allocation_safepoint(std::span<const Entry> consumed = {}) {
    safepoint(consumed, stack_.size() - 1);
  }

  void branch(uint32_t depth);
  bool branch_needs_moves(uint32_t depth) const;
  void emit_return();
  // Puts a call's arguments in their homes and pops them (into `popped`, if given).
  void call(uint32_t arg_count, std::vector<Entry>* popped = nullptr);
  void return_call(const Instr& in);
  void local_set(uint32_t index, bool tee);
  void load_or_store(const Instr& in, Op op, std::span<const ValType> pushed);
  // Whether an access goes to memory 0 and it is 32-bit: the ops that use the memory base and
  // size the interpreter keeps in registers (the others name their memory).
  bool on_fast_memory(const MemArg& mem) const;

  const Config& config_;
  const ModuleInfo* module_ = nullptr;
  FuncCodePtr out_;
  const int32_t* handlers_;
  std::vector<uint32_t> local_slots_;
  std::vector<ValType> local_types_;
  std::vector<uint32_t> local_refs_;  // stack entries of Kind::Local per local
  std::vector<ValType> results_;
  uint32_t result_bytes_ = 0;
  std::vector<Entry> stack_;
  std::vector<Ctrl> ctrls_;
  uint32_t max_end_ = 0;  // highest byte any home reaches
  uint32_t instr_start_ = 0;
  uint32_t wasm_offset_ = 0;  // of the wasm instruction being lowered (the body's start before)
  std::optional<uint32_t> fuel_pos_;
  std::optional<uint32_t> last_dst_;  // operand position of the last retargetable destination
  uint32_t last_dst_home_ = 0;
  std::optional<Compare> last_compare_;
  std::optional<Compare> last_add_;  // an i32.add just emitted, for a load or store to absorb
  std::optional<Error> error_;
  std::vector<uint32_t> gc_map_;  // FuncCode::gc_map's content, moved there by finish
};

}  // namespace tern::interp
