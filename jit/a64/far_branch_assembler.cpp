// Conditional branches that reach any label (far_branch_assembler.h).
#include "jit/a64/far_branch_assembler.h"

namespace tern::jit::a64_backend {

using namespace asmjit;
using a64::Inst;

namespace {

// The farthest forward displacement of b.cond, cbz and cbnz (a signed 19-bit word count).
constexpr size_t kReach = (size_t(1) << 20) - 4;
// How far before the first waiting branch's deadline its island is emitted: more than one
// instruction (the check runs before each) plus the inverted form of a branch.
constexpr size_t kIslandMargin = 4096;

// The label operand of a conditional branch to a label, or null for any other instruction.
const Operand_* conditional_target(InstId inst_id, const Operand_& o0, const Operand_& o1) {
  switch (BaseInst::extractRealId(inst_id)) {
    case Inst::kIdB:
      if (BaseInst::extractARMCondCode(inst_id) == arm::CondCode::kAL) return nullptr;
      return o0.isLabel() ? &o0 : nullptr;
    case Inst::kIdCbz:
    case Inst::kIdCbnz:
      return o1.isLabel() ? &o1 : nullptr;
    default:
      return nullptr;
  }
}

// The branch taken exactly when `inst_id` is not.
InstId inverted(InstId inst_id) {
  switch (BaseInst::extractRealId(inst_id)) {
    case Inst::kIdCbz:
      return Inst::kIdCbnz;
    case Inst::kIdCbnz:
      return Inst::kIdCbz;
    default:
      return BaseInst::composeARMInstId(Inst::kIdB,
                                        arm::negateCond(BaseInst::extractARMCondCode(inst_id)));
  }
}

}  // namespace

Error FarBranchAssembler::_emit(InstId inst_id, const Operand_& o0, const Operand_& o1,
                                const Operand_& o2, const Operand_* op_ext) {
  if (in_island_) return Assembler::_emit(inst_id, o0, o1, o2, op_ext);
  if (offset() >= island_due_) emit_island();
  const Operand_* target_operand = conditional_target(inst_id, o0, o1);
  if (!target_operand) return Assembler::_emit(inst_id, o0, o1, o2, op_ext);

  const Label& target = target_operand->as<Label>();
  if (code()->isLabelBound(target)) {
    if (offset() - code()->labelOffset(target) <= kReach) {
      return Assembler::_emit(inst_id, o0, o1, o2, op_ext);
    }
    // Backward and out of reach: skip a `b` to it unless the condition holds.
    Label skip = newLabel();
    Operand_ near_o0 = o0, near_o1 = o1;
    (target_operand == &o0 ? near_o0 : near_o1) = skip;
    Assembler::_emit(inverted(inst_id), near_o0, near_o1, o2, op_ext);
    Error err = b(target);
    Assembler::bind(skip);
    return err;
  }
  Operand_ via_o0 = o0, via_o1 = o1;
  (target_operand == &o0 ? via_o0 : via_o1) = veneer_for(target);
  return Assembler::_emit(inst_id, via_o0, via_o1, o2, op_ext);
}

Label FarBranchAssembler::veneer_for(const Label& target) {
  auto [it, added] = by_target_.try_emplace(target.id(), waiting_.size());
  if (!added) return waiting_[it->second].veneer;
  waiting_.push_back(Waiting{target.id(), newLabel(), offset() + kReach});
  if (waiting_.size() - first_ == 1) island_due_ = waiting_.back().deadline - kIslandMargin;
  return waiting_.back().veneer;
}

Error FarBranchAssembler::bind(const Label& label) {
  Error err = Assembler::bind(label);
  auto it = by_target_.find(label.id());
  if (it == by_target_.end()) return err;
  // In reach of every branch waiting for it: they land here directly.
  Waiting& w = waiting_[it->second];
  Assembler::bind(w.veneer);
  w.target = Globals::kInvalidId;
  by_target_.erase(it);
  advance_first();
  return err;
}

void FarBranchAssembler::advance_first() {
  while (first_ < waiting_.size() && waiting_[first_].target == Globals::kInvalidId) ++first_;
  if (first_ == waiting_.size()) {
    waiting_.clear();
    first_ = 0;
    island_due_ = SIZE_MAX;
  } else {
    island_due_ = waiting_[first_].deadline - kIslandMargin;
  }
}

void FarBranchAssembler::emit_island() {
  // In order of deadline: each veneer lands before its first branch's deadline, as the
  // deadlines of later entries are at least 4 bytes further apart than their veneers.
  in_island_ = true;
  Label over = newLabel();
  b(over);
  for (size_t i = first_; i < waiting_.size(); ++i) {
    if (waiting_[i].target == Globals::kInvalidId) continue;
    Assembler::bind(waiting_[i].veneer);
    b(Label(waiting_[i].target));
  }
  Assembler::bind(over);
  waiting_.clear();
  by_target_.clear();
  first_ = 0;
  island_due_ = SIZE_MAX;
  in_island_ = false;
}

}  // namespace tern::jit::a64_backend
