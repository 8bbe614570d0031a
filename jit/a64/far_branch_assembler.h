// asmjit's a64::Assembler with conditional branches that reach any label of the code.
// b.cond, cbz and cbnz reach +-1 MiB, and a function's code may be longer (a deep operand stack,
// a big generated function): without this, a branch to the trap stubs at the function's end
// would not encode. Every conditional branch to a label goes through _emit, which makes it reach:
// - a bound label (a backward branch) out of reach: the inverted branch over a `b` (+-128 MiB);
// - a label not bound yet: the branch goes to a veneer label of the target's instead. When the
//   target is bound in reach, its veneer is bound at the same place: nothing is emitted, and a
//   function under 1 MiB is encoded exactly as before. When the code is about to grow past the
//   reach of the first branch still waiting, an island is emitted where the code has got to,
//   `b over; veneer1: b target1; ...; over:`, and the veneers are bound there. The branch
//   over it changes no register or flag, so an island may fall between any two instructions.
// tbz and tbnz (+-32 KiB) are not used by the backend, and are not made to reach further.
#pragma once

#include <asmjit/arm/a64assembler.h>
#include <asmjit/core.h>

#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <vector>

namespace tern::jit::a64_backend {

class FarBranchAssembler final : public asmjit::a64::Assembler {
 public:
  asmjit::Error bind(const asmjit::Label& label) override;
  asmjit::Error _emit(asmjit::InstId inst_id, const asmjit::Operand_& o0,
                      const asmjit::Operand_& o1, const asmjit::Operand_& o2,
                      const asmjit::Operand_* op_ext) override;
  // Emits the island now if `bytes` of data about to be embedded (which no island may split, and
  // which passes no _emit) would carry the code past it.
  void keep_together(size_t bytes) {
    if (offset() + bytes >= island_due_) emit_island();
  }

 private:
  // The conditional branches to `target` emitted since its last island, all to `veneer`;
  // the first of them reaches up to `deadline`.
  struct Waiting {
    uint32_t target;
    asmjit::Label veneer;
    size_t deadline;
  };

  asmjit::Label veneer_for(const asmjit::Label& target);
  void emit_island();
  // Drops the resolved entries at the front of waiting_ and sets island_due_ by the new first.
  void advance_first();

  std::vector<Waiting> waiting_;  // in order of deadline; `target` is kInvalidId once bound
  size_t first_ = 0;              // waiting_[first_] is the first not yet resolved
  std::unordered_map<uint32_t, size_t> by_target_;  // target label id -> index in waiting_
  size_t island_due_ = SIZE_MAX;                    // code offset at which to emit an island
  bool in_island_ = false;
};

}  // namespace tern::jit::a64_backend
