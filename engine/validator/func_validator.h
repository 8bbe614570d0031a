// The function validator (appendix/algorithm.rst) as a reusable object: its operand, control
// and scratch stacks keep their capacity from one function to the next, so validating a module
// allocates only while the stacks are still growing.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <vector>

#include "engine/decoder/instr.h"
#include "engine/module_info.h"
#include "engine/subtyping.h"
#include "engine/validator/func_consumer.h"
#include "tern/error.h"

namespace tern {

class Reader;

class FuncValidator {
 public:
  Result<void> run(const ModuleInfo& module, uint32_t defined_index, FuncConsumer* consumer);

 private:
  // A control stack entry, kept to 16 bytes: a block costs two bytes of code, so deep nesting
  // must cost little here. The block type stays as the binary encodes it (Instr::bits) and
  // sig() resolves it when needed.
  struct Ctrl {
    int64_t block_type;  // Instr::bits of the block, or kBodyBlockType for the function body
    uint32_t height;
    Opcode op;
    bool unreachable;
  };
  static constexpr int64_t kBodyBlockType = INT64_MIN;
  // The block type `bt` (already checked against the module's types) as params and results.
  BlockSig resolve(int64_t bt) const;
  BlockSig sig(const Ctrl& c) const { return resolve(c.block_type); }

  Result<void> read_locals(Reader& r, const FuncType& type);
  // Type-checks `in_` (already read); fills popped_/pushed_. Returns an error message, or null.
  const char* check();
  const char* check_immediates(ImmKind imm, uint8_t n);
  const char* check_control();
  const char* check_hand_typed();
  // throw, throw_ref, try_table and the legacy try/catch/catch_all/delegate/rethrow
  // (func_validator_exceptions.cpp).
  const char* check_exceptions();
  const char* check_catch_clauses();
  // Null unless `in_` belongs to a disabled exception-handling proposal.
  const char* check_exceptions_enabled();
  // A Malformed error naming the disabled proposal (legacy or standard exception handling).
  const char* disabled(const char* construct, bool legacy);
  const char* check_tail_call();
  // call_ref, return_call_ref, ref.as_non_null, br_on_null, br_on_non_null
  // (func_validator_typed_refs.cpp).
  const char* check_typed_references();
  // A Malformed error when `in_` is one of those with the proposal off.
  const char* check_typed_references_enabled();
  // ref.eq and the 0xFB instructions (func_validator_gc.cpp).
  const char* check_gc();
  const char* check_br_on_cast();
  // Type `index` of kind `kind` into `def`, or an error.
  const char* gc_type(uint32_t index, CompositeKind kind, const TypeDef*& def);
  // array.new_data/init_data's data segment (TypeData) or array.new_elem/init_elem's element
  // segment (TypeElem), Instr::index2, for arrays of `elem`.
  const char* gc_segment(ImmKind imm, const FieldType& elem);
  // Pops a reference of the hierarchy whose top is `top`.
  bool pop_ref_in(HeapKind top, ValType& got);
  const char* unknown_type(ValType t);
  // The current block instruction's block type as its Ctrl keeps it (see block_ref_types_).
  int64_t block_type() const { return block_type_; }

  // Subtyping (valid/matching.rst) between this module's types.
  bool matches(ValType actual, ValType expected) const {
    return val_matches(actual, expected, space_);
  }
  bool all_match(std::span<const ValType> actual, std::span<const ValType> expected) const {
    if (actual.size() != expected.size()) return false;
    for (size_t i = 0; i < actual.size(); ++i) {
      if (!matches(actual[i], expected[i])) return false;
    }
    return true;
  }
  // A concrete reference type names one of the module's types.
  bool known_type(ValType t) const {
    return !is_ref(t) || !is_concrete(t) || ref_type_index(t) < m_->types.size();
  }
  static bool is_exn(ValType t) {
    return is_ref(t) && (heap_kind(t) == HeapKind::Exn || heap_kind(t) == HeapKind::NoExn);
  }

  // Local initialisation (appendix/algorithm.rst): a non-defaultable local (a non-null
  // reference) must be set before it is read; a set inside a block counts until the block ends.
  void init_locals(size_t num_params);
  bool local_initialized(uint32_t local) const { return unset_.empty() || !unset_[local]; }
  void mark_initialized(uint32_t local) {
    if (unset_.empty() || !unset_[local]) return;
    unset_[local] = false;
    set_log_.emplace_back(local, uint32_t(ctrls_.size()));
  }
  // After a block's Ctrl is popped: its sets no longer count.
  void reset_locals() {
    while (!set_log_.empty() && set_log_.back().second > ctrls_.size()) {
      unset_[set_log_.back().first] = true;
      set_log_.pop_back();
    }
  }
  void widen_addresses();

  bool pop(ValType expect, ValType& got);
  // Pops a fixed signature's operands (they need not be recorded: popped is then the params).
  bool pop_fixed(std::span<const ValType> params);
  // Pops `types` (the last is the top of the stack) into popped_[at, at + types.size()).
  bool pop_into(std::span<const ValType> types, size_t at);
  bool pop_append(std::span<const ValType> types);
  // Checks that the top of the stack matches `types` without popping (br_table's other labels).
  bool peek_matches(std::span<const ValType> types) const;
  void push(ValType t) {
    vals_.push_back(t);
    pushed_.push_back(t);
  }
  void push_all(std::span<const ValType> types) {
    for (ValType t : types) push(t);
  }
  void push_ctrl(Opcode op, int64_t block_type, BlockSig sig) {
    ctrls_.push_back(Ctrl{block_type, uint32_t(vals_.size()), op, false});
    push_all(sig.params);
  }
  void set_unreachable() {
    vals_.resize(ctrls_.back().height);
    ctrls_.back().unreachable = true;
  }
  std::span<const ValType> label_types(const Ctrl& c) const {
    BlockSig s = sig(c);
    return c.op == Opcode::Loop ? s.params : s.results;
  }

  const ModuleInfo* m_ = nullptr;
  TypeSpace space_;                        // m_'s types, for matches()
  std::span<const ValType> body_results_;  // the function's results: its body's label types
  Instr in_;
  // Set by check() when the fault is in the bytes rather than the types (Malformed), or is an
  // implementation limit (Limit).
  bool malformed_ = false;
  bool limit_ = false;
  // Set by check() for instructions with a fixed signature: the consumer then gets the
  // signature's own types as popped/pushed, with no copying.
  bool fixed_ = false;
  std::span<const ValType> fixed_params_;
  std::span<const ValType> fixed_results_;
  // A fixed signature with i64 addresses (widen_addresses), which fixed_params_/results_ then
  // point at.
  std::array<ValType, 3> addressed_params_{};
  std::array<ValType, 1> addressed_results_{};
  std::vector<ValType> locals_;
  std::vector<ValType> vals_;
  std::vector<Ctrl> ctrls_;
  std::vector<ValType> popped_;
  std::vector<ValType> operands_;  // an allocating GC instruction's (allocation.h)
  std::vector<ValType> pushed_;
  std::vector<uint32_t> targets_;
  std::vector<std::pair<uint32_t, ValType>> local_groups_;
  std::string message_;  // for messages that name an index
  // Result types of the open blocks typed by one multi-byte reference type: such a block's
  // Ctrl::block_type is kRefBlockType - (its index here). A deque, so that spans stay valid.
  std::deque<ValType> block_ref_types_;
  int64_t block_type_ = 0;
  // Per local, true while it is a non-defaultable local not yet set; empty when the function
  // has no non-defaultable local. set_log_: (local, depth of the block it was set in).
  std::vector<bool> unset_;
  std::vector<std::pair<uint32_t, uint32_t>> set_log_;
};

}  // namespace tern
