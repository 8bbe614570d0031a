// Lowering of exception handling: try_table and the legacy try/catch/catch_all/delegate open
// handlers (code.h: Handler) covering their bodies; throw, throw_ref and rethrow are ops that
// hand the exception to execute's unwinder. Nothing is emitted on the path that throws
// nothing, beyond a jump over try_table's landing pads.
//
// A try_table clause's landing pad is a jump to its label: the unwinder writes the payload (and
// the exnref) straight into the label's homes first. A legacy catch arm keeps the caught
// exception (for rethrow) in a hidden stack entry at the try's base home, under the arm's
// operands; the arm's results move down over it where it ends.
#include "engine/interp/emit.h"
#include "engine/interp/lowering.h"
#include "engine/interp/machine.h"

namespace tern::interp {

int32_t Lowerer::nearest_handler(size_t ctrl) const {
  for (size_t k = ctrl + 1; k-- > 0;) {
    if (ctrls_[k].handler >= 0) return ctrls_[k].handler;
  }
  return -1;
}

int32_t Lowerer::open_handler() {
  Handler h;
  h.parent = nearest_handler(ctrls_.size() - 1);
  out_->handlers.push_back(std::move(h));
  return int32_t(out_->handlers.size() - 1);
}

// Landing pads for try_table's clauses, jumped over on entry.
void Lowerer::catch_pads(const Instr& in, Handler& handler) {
  if (in.targets.empty()) return;
  emit_Jmp(*this, 0);
  Fixup over = last_unit_fixup();
  for (size_t i = 0; i + kCatchUnits <= in.targets.size(); i += kCatchUnits) {
    auto kind = CatchKind(in.targets[i]);
    uint32_t tag = in.targets[i + 1];
    uint32_t label = in.targets[i + 2];
    bool has_tag = kind == CatchKind::Catch || kind == CatchKind::CatchRef;
    bool keeps_exn = kind == CatchKind::CatchRef || kind == CatchKind::CatchAllRef;
    Ctrl& target = ctrls_[ctrls_.size() - 1 - label];
    CatchClause clause;
    clause.tag = has_tag ? tag : CatchClause::kAnyTag;
    clause.pad = here();
    clause.payload = target.base_home;
    uint32_t bytes = has_tag ? rt::payload_bytes(module_->types[module_->tags[tag]]) : 0;
    if (keeps_exn) clause.exn = target.base_home + bytes;
    handler.clauses.push_back(clause);
    if (label + 1 < ctrls_.size()) {
      emit_jump(target);
      continue;
    }
    // The function's own label: a return, with the results moved down to slot 0.
    uint32_t off = 0;
    for (ValType t : results_) {
      if (t == ValType::V128) {
        emit_Copy128(*this, off, target.base_home + off);
      } else {
        emit_Copy64(*this, off, target.base_home + off);
      }
      off += slot_bytes(t);
    }
    emit_Return(*this);
  }
  bind(over, here());
}

// Puts an arm's results in the block's result homes at its end: a catch arm's lie above the
// hidden exception entry and move down.
void Lowerer::end_arm(Ctrl& c) {
  bool catch_arm = c.op == Opcode::Catch || c.op == Opcode::CatchAll;
  uint32_t dst = c.base_home;
  for (size_t i = c.height + (catch_arm ? 1 : 0); i < stack_.size(); ++i) {
    Entry& e = stack_[i];
    if (catch_arm) {
      move(e, dst);
      dst += slot_bytes(e.type);
      continue;
    }
    if (e.kind == Kind::Local) --local_refs_[e.local];
    materialize(e);
  }
}

void Lowerer::exception_control(const Instr& in, bool unreachable) {
  switch (in.op) {
    case Opcode::TryTable:
    case Opcode::Try: {
      Ctrl c;
      c.op = in.op;
      c.dead = ctrls_.back().dead || unreachable;
      c.params.assign(in.block.params.begin(), in.block.params.end());
      c.results.assign(in.block.results.begin(), in.block.results.end());
      if (!c.dead) {
        materialize_all();
        c.height = stack_.size() - c.params.size();
        c.base_home = home_at(c.height);
        c.exn_home = c.base_home;
        c.own_handler = c.handler = open_handler();
        if (in.op == Opcode::TryTable) catch_pads(in, out_->handlers[size_t(c.handler)]);
        out_->handlers[size_t(c.handler)].start = here();
      }
      forget_last();
      ctrls_.push_back(std::move(c));
      return;
    }
    case Opcode::Catch:
    case Opcode::CatchAll: {
      Ctrl& c = ctrls_.back();
      bool first = c.op == Opcode::Try;
      if (c.dead) {
        c.op = in.op;
        return;
      }
      Handler& h = out_->handlers[size_t(c.own_handler)];
      if (first) h.end = here();
      if (!unreachable) {
        end_arm(c);
        emit_jump(c);
      }
      CatchClause clause;
      clause.tag = in.op == Opcode::Catch ? in.index : CatchClause::kAnyTag;
      clause.pad = here();
      clause.exn = c.exn_home;
      clause.payload = c.exn_home + slot_bytes(ValType::ExnRef);
      h.clauses.push_back(clause);
      c.op = in.op;
      c.handler = -1;  // the arms are outside the try's handler
      reset_stack(c.height, {});
      push_stack(ValType::ExnRef);
      if (in.op == Opcode::Catch) {
        for (ValType t : module_->types[module_->tags[in.index]].params) push_stack(t);
      }
      forget_last();
      begin_fuel_block();
      return;
    }
    case Opcode::Delegate:
    case Opcode::End: {
      Ctrl c = std::move(ctrls_.back());
      ctrls_.pop_back();
      if (c.dead) return;
      if (c.op == Opcode::TryTable || c.op == Opcode::Try) {
        Handler& h = out_->handlers[size_t(c.own_handler)];
        h.end = here();
        // The exception goes on as if thrown inside the delegate's target label.
        if (in.op == Opcode::Delegate) h.parent = nearest_handler(ctrls_.size() - 1 - in.index);
      }
      if (!unreachable) end_arm(c);
      for (const Fixup& f : c.fixups) bind(f, here());
      reset_stack(c.height, c.results);
      forget_last();
      if (!c.fixups.empty()) begin_fuel_block();
      return;
    }
    default:
      return;
  }
}

bool Lowerer::exceptions(const Instr& in) {
  switch (in.op) {
    case Opcode::Throw: {
      size_t n = module_->types[module_->tags[in.index]].params.size();
      uint32_t arg_base = home_at(stack_.size() - n);
      call(uint32_t(n));
      emit_Throw(*this, in.index, arg_base);
      return true;
    }
    case Opcode::ThrowRef: {
      Entry exn = pop();
      emit_ThrowRef(*this, operand(exn));
      return true;
    }
    case Opcode::Rethrow:
      emit_ThrowRef(*this, ctrls_[ctrls_.size() - 1 - in.index].exn_home);
      return true;
    default:
      return false;
  }
}

}  // namespace tern::interp
