// The function validator (appendix/algorithm.rst) as a reusable object: its operand, control
// and scratch stacks keep their capacity from one function to the next, so validating a module
// allocates only while the stacks are still growing.
#pragma once

#include <cstdint>
#include <vector>

#include "engine/decoder/instr.h"
#include "engine/module_info.h"
#include "engine/validator/func_consumer.h"
#include "tern/error.h"

namespace tern {

class Reader;

// Locals beyond this many (parameters included) are refused with ErrorKind::Limit: the format
// allows 2^32-1, but every consumer sizes frames from this count.
constexpr uint32_t kMaxLocals = 50000;

class FuncValidator {
 public:
  Result<void> run(const ModuleInfo& module, uint32_t defined_index, FuncConsumer* consumer);

 private:
  struct Ctrl {
    Opcode op;
    BlockSig sig;
    uint32_t height;
    bool unreachable;
  };

  Result<void> read_locals(Reader& r, const FuncType& type);
  // Type-checks `in_` (already read); fills popped_/pushed_. Returns an error message, or null.
  const char* check();
  const char* check_immediates(ImmKind imm, uint8_t n);
  const char* check_control();
  const char* check_hand_typed();

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
  void push_ctrl(Opcode op, BlockSig sig) {
    ctrls_.push_back(Ctrl{op, sig, uint32_t(vals_.size()), false});
    push_all(sig.params);
  }
  void set_unreachable() {
    vals_.resize(ctrls_.back().height);
    ctrls_.back().unreachable = true;
  }
  static std::span<const ValType> label_types(const Ctrl& c) {
    return c.op == Opcode::Loop ? c.sig.params : c.sig.results;
  }

  const ModuleInfo* m_ = nullptr;
  Instr in_;
  // Set by check() when the fault is in the bytes rather than the types (Malformed).
  bool malformed_ = false;
  // Set by check() for instructions with a fixed signature: the consumer then gets the
  // signature's own types as popped/pushed, with no copying.
  bool fixed_ = false;
  std::span<const ValType> fixed_params_;
  std::span<const ValType> fixed_results_;
  std::vector<ValType> locals_;
  std::vector<ValType> vals_;
  std::vector<Ctrl> ctrls_;
  std::vector<ValType> popped_;
  std::vector<ValType> pushed_;
  std::vector<uint32_t> targets_;
  std::vector<std::pair<uint32_t, ValType>> local_groups_;
  std::string message_;  // for messages that name an index
};

}  // namespace tern
