// FuncCompiler's exception handling: try_table and the legacy try/catch/catch_all/delegate
// open try regions covering their bodies (the handler table, handler_table.h), and rethrow.
// throw and throw_ref are helper calls (func_compiler.cpp).
//
// The code of a try body is the same as a block's: nothing runs on the path that throws
// nothing. Every instruction that can throw is a call, before which the operands and the
// dirty cached locals are in their slots, so a landing pad starts from slots with no register
// live: the unwinder (exceptions.h) resumes the frame there. A try_table clause's pad takes the
// payload (and the exnref) into its label's slots and branches there; a legacy catch arm is
// inline after the try body (which jumps over it to the end, as an if's then arm does), its
// pad at its start.
#include "jit/common/func_compiler.h"
#include "jit/common/helpers.h"

namespace tern::jit {

int32_t FuncCompiler::nearest_handler(size_t ctrl) const {
  for (size_t k = ctrl + 1; k-- > 0;) {
    if (ctrls_[k].handler >= 0) return ctrls_[k].handler;
  }
  return -1;
}

Label FuncCompiler::shared_pending_label() {
  if (!pending_label_) pending_label_ = masm_.new_label();
  return *pending_label_;
}

Label FuncCompiler::pending_trap_after_call() {
  Label site = masm_.new_label();
  masm_.bind(site);
  masm_.mark_wasm_offset();
  Label stub = masm_.new_label();
  site_raises_.emplace_back(stub, site);
  return stub;
}

void FuncCompiler::enter_try(const Instr& in, bool dead) {
  if (dead) {
    enter_block(in, true);
    return;
  }
  int32_t parent = nearest_handler(ctrls_.size() - 1);
  int32_t index = int32_t(tries_.size());
  TryRegionLabels region;
  region.parent = parent;
  if (in.op == Opcode::TryTable) {
    flush_all();
    // Each clause's pad, planned while its label is in scope: it is entered with no cached
    // local (every throwing site wrote them back) and the values in the label's slots.
    std::vector<CachedLocal> cache;
    std::swap(cache, cache_);
    uint32_t below = height() - uint32_t(in.block.params.size());
    for (size_t i = 0; i + kCatchUnits <= in.targets.size(); i += kCatchUnits) {
      auto kind = CatchKind(in.targets[i]);
      uint32_t tag = in.targets[i + 1];
      uint32_t label = in.targets[i + 2];
      Ctrl& target = ctrls_[ctrls_.size() - 1 - label];
      target.targeted = true;
      bool has_tag = kind == CatchKind::Catch || kind == CatchKind::CatchRef;
      bool keeps_exn = kind == CatchKind::CatchRef || kind == CatchKind::CatchAllRef;
      LandingPad pad;
      pad.at = masm_.new_label();
      pad.values = slot_at(target.height);
      pad.flags = (has_tag ? helpers::kCatchPayload : 0) | (keeps_exn ? helpers::kCatchExnRef : 0);
      pad.plan = plan_transfer(target);
      // The label's slots may lie above every operand so far (a branch out of the try_table
      // from below its params).
      max_slots_ = std::max(
          max_slots_, stack_slots(std::max(below, target.height)) + slots_of(target.label_types()));
      region.clauses.emplace_back(has_tag ? tag : CatchClause::kAnyTag, pad.at);
      landing_pads_.push_back(std::move(pad));
    }
    std::swap(cache, cache_);
  }
  enter_block(in, false);
  Ctrl& c = ctrls_.back();
  c.own_handler = c.handler = index;
  if (in.op == Opcode::Try) c.exn_spare = spares_++;
  region.begin = masm_.new_label();
  region.end = masm_.new_label();
  masm_.bind(region.begin);
  tries_.push_back(std::move(region));
}

void FuncCompiler::close_try_body() {
  Ctrl& c = ctrls_.back();
  if (c.dead || c.handler < 0 || (c.op != Opcode::Try && c.op != Opcode::TryTable)) return;
  masm_.bind(tries_[size_t(c.own_handler)].end);
  c.handler = -1;
}

void FuncCompiler::catch_arm(const Instr& in, bool unreachable) {
  Ctrl& c = ctrls_.back();
  if (c.dead) {
    c.op = in.op;
    return;
  }
  close_try_body();
  if (!unreachable) {
    // The try body or the previous arm ends: on to the end, as an if's then arm.
    c.targeted = true;
    flush_all();
    emit_branch(plan_branch(0));
  }
  c.op = in.op;
  Label pad = masm_.new_label();
  bool has_tag = in.op == Opcode::Catch;
  tries_[size_t(c.own_handler)].clauses.emplace_back(has_tag ? in.index : CatchClause::kAnyTag,
                                                     pad);
  masm_.bind(pad);
  truncate(c.height);
  forget_locals();  // no register is live at a landing pad
  masm_.call_helper(helpers::catch_exception, slot_at(c.height),
                    has_tag ? helpers::kCatchPayload : 0);
  Reg exn = alloc_reg(RegClass::Gp);
  masm_.move_helper_result(exn);
  masm_.store_slot(Slot{Slot::Kind::Spare, c.exn_spare}, exn);
  free_reg(RegClass::Gp, exn);
  if (has_tag) {
    for (ValType t : module_.info.types[module_.info.tags[in.index]].params) push_slot(t);
  }
  begin_fuel_block();
}

void FuncCompiler::delegate(const Instr& in, bool unreachable) {
  close_try_body();
  bool dead = ctrls_.back().dead;
  int32_t own = ctrls_.back().own_handler;
  end_block(unreachable);
  // The exception goes on as if thrown where the delegate's label is, as in the interpreter.
  if (!dead) tries_[size_t(own)].parent = nearest_handler(ctrls_.size() - 1 - in.index);
}

void FuncCompiler::rethrow(const Instr& in) {
  const Ctrl& arm = ctrls_[ctrls_.size() - 1 - in.index];
  flush_all();
  masm_.copy_slot(slot_at(height()), Slot{Slot::Kind::Spare, arm.exn_spare});
  push_slot(ValType::ExnRef);
  call_helper(helpers::throw_ref, 1, 0, true, {}, false);
}

void FuncCompiler::emit_exception_stubs() {
  for (const LandingPad& pad : landing_pads_) {
    masm_.bind(pad.at);
    masm_.call_helper(helpers::catch_exception, pad.values, pad.flags);
    emit_branch(pad.plan);
  }
  for (const auto& [stub, site] : site_raises_) {
    masm_.bind(stub);
    masm_.raise_pending_trap_at(site);
  }
}

}  // namespace tern::jit
