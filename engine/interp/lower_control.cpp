// Lowering of control flow: blocks, branches, br_table, return. Values reach their label's
// homes before a jump; compares feeding br_if / if fuse into compare-and-branch ops.
#include "engine/interp/emit.h"
#include "engine/interp/lowering.h"
#include "engine/interp/machine.h"

namespace tern::interp {

int32_t Lowerer::jump_offset(const Ctrl& target) {
  // The jump op starts at here(): a loop header lies behind it, a block's end is bound later.
  return target.op == Opcode::Loop ? int32_t(target.loop_pos) - int32_t(here()) : 0;
}

void Lowerer::link(Ctrl& target) {
  if (target.op != Opcode::Loop) target.fixups.push_back(last_unit_fixup());
}

void Lowerer::emit_jump(Ctrl& target) {
  emit_Jmp(*this, jump_offset(target));
  link(target);
}

void Lowerer::cond_jump(const std::optional<Compare>& cmp, uint32_t cond_slot, bool if_true,
                        int32_t target) {
  if (!cmp) {
    if (if_true) {
      emit_BrIf(*this, cond_slot, target);
    } else {
      emit_BrUnless(*this, cond_slot, target);
    }
    return;
  }
  Opcode op = if_true ? cmp->op : negated_compare(cmp->op);
  Op fused = branch_compare_op(op);
  if (!cmp->b_imm) {
    emit_BrCompare(*this, fused, cmp->a, uint32_t(cmp->b), target);
  } else if (op >= Opcode::I64Eq && op <= Opcode::I64GeU) {
    emit_BrCompareImm64(*this, Op(size_t(fused) + 1), cmp->a, cmp->b, target);
  } else {
    emit_BrCompareImm32(*this, Op(size_t(fused) + 1), cmp->a, uint32_t(cmp->b), target);
  }
}

void Lowerer::control(const Instr& in, bool unreachable) {
  bool dead = ctrls_.back().dead || (unreachable && in.op != Opcode::Else && in.op != Opcode::End);
  switch (in.op) {
    case Opcode::Block:
    case Opcode::Loop:
    case Opcode::If: {
      Ctrl c;
      c.op = in.op;
      c.dead = dead;
      c.params.assign(in.block.params.begin(), in.block.params.end());
      c.results.assign(in.block.results.begin(), in.block.results.end());
      if (!dead) {
        uint32_t cond = 0;
        std::optional<Compare> cmp;
        if (in.op == Opcode::If) {
          Entry e = pop();
          cmp = take_compare(e);
          if (!cmp) cond = operand(e);
        }
        materialize_all();
        c.height = stack_.size() - c.params.size();
        c.base_home = home_at(c.height);
        if (in.op == Opcode::If) {
          cond_jump(cmp, cond, false, 0);
          c.else_fixup = last_unit_fixup();
          begin_fuel_block();
        } else if (in.op == Opcode::Loop) {
          c.loop_pos = here();
          begin_fuel_block();
          emit_Check(*this);
        }
      }
      forget_last();
      ctrls_.push_back(std::move(c));
      return;
    }
    case Opcode::Else: {
      Ctrl& c = ctrls_.back();
      c.op = Opcode::Else;
      if (c.dead) return;
      if (!unreachable) {
        for (size_t i = c.height; i < stack_.size(); ++i) {
          if (stack_[i].kind == Kind::Local) --local_refs_[stack_[i].local];
          materialize(stack_[i]);
        }
        emit_jump(c);
      }
      bind(*c.else_fixup, here());
      c.else_fixup.reset();
      reset_stack(c.height, c.params);
      forget_last();
      begin_fuel_block();
      return;
    }
    case Opcode::End: {
      Ctrl c = std::move(ctrls_.back());
      ctrls_.pop_back();
      if (c.dead) return;
      if (ctrls_.empty()) {
        if (!unreachable) emit_return();
        return;
      }
      if (!unreachable) {
        for (size_t i = c.height; i < stack_.size(); ++i) {
          if (stack_[i].kind == Kind::Local) --local_refs_[stack_[i].local];
          materialize(stack_[i]);
        }
      }
      bool label = c.else_fixup || !c.fixups.empty();
      if (c.else_fixup) bind(*c.else_fixup, here());
      for (const Fixup& f : c.fixups) bind(f, here());
      reset_stack(c.height, c.results);
      forget_last();
      if (label) begin_fuel_block();
      return;
    }
    default:
      return;
  }
}

bool Lowerer::branches(const Instr& in) {
  switch (in.op) {
    case Opcode::Unreachable:
      emit_Unreachable(*this);
      return true;
    case Opcode::Br:
      branch(in.index);
      return true;
    case Opcode::BrIf: {
      Entry cond = pop();
      std::optional<Compare> cmp = take_compare(cond);
      uint32_t c = cmp ? 0 : operand(cond);
      Ctrl& target = ctrls_[ctrls_.size() - 1 - in.index];
      if (!branch_needs_moves(in.index)) {
        cond_jump(cmp, c, true, jump_offset(target));
        link(target);
      } else {
        cond_jump(cmp, c, false, 0);
        Fixup skip = last_unit_fixup();
        branch(in.index);
        bind(skip, here());
      }
      begin_fuel_block();
      return true;
    }
    case Opcode::BrTable: {
      Entry index = pop();
      uint32_t s = operand(index);
      std::vector<int32_t> unbound(in.targets.size(), 0);
      emit_BrTable(*this, s, uint32_t(in.targets.size() - 1), unbound);
      uint32_t table = instr_start_;
      uint32_t first = here() - uint32_t(in.targets.size());
      for (size_t i = 0; i < in.targets.size(); ++i) {
        uint32_t depth = in.targets[i];
        Ctrl& target = ctrls_[ctrls_.size() - 1 - depth];
        Fixup f{first + uint32_t(i), table};
        if (branch_needs_moves(depth)) {
          bind(f, here());  // a stub that moves the label values, then jumps
          branch(depth);
        } else if (target.op == Opcode::Loop) {
          bind(f, target.loop_pos);
        } else {
          target.fixups.push_back(f);
        }
      }
      return true;
    }
    case Opcode::Return:
      emit_return();
      return true;
    default:
      return false;
  }
}

bool Lowerer::branch_needs_moves(uint32_t depth) const {
  if (depth == ctrls_.size() - 1) return true;  // a return
  const Ctrl& t = ctrls_[ctrls_.size() - 1 - depth];
  size_t n = t.labels().size();
  uint32_t dst = t.base_home;
  for (size_t i = stack_.size() - n; i < stack_.size(); ++i) {
    const Entry& e = stack_[i];
    if (e.kind != Kind::Stack || e.home != dst) return true;
    dst += slot_bytes(e.type);
  }
  return false;
}

void Lowerer::branch(uint32_t depth) {
  if (depth == ctrls_.size() - 1) {
    emit_return();
    return;
  }
  Ctrl& t = ctrls_[ctrls_.size() - 1 - depth];
  size_t n = t.labels().size();
  // Sources sit at or above their destinations, so moving in order never clobbers a source.
  uint32_t dst = t.base_home;
  for (size_t i = stack_.size() - n; i < stack_.size(); ++i) {
    move(stack_[i], dst);
    dst += slot_bytes(stack_[i].type);
  }
  emit_jump(t);
}

void Lowerer::emit_return() {
  size_t n = results_.size();
  size_t first = stack_.size() - n;
  // A local inside the result area could be overwritten before it is read: stage it first.
  for (size_t i = first; i < stack_.size(); ++i) {
    Entry& e = stack_[i];
    if (e.kind == Kind::Local && local_slots_[e.local] < result_bytes_) {
      --local_refs_[e.local];
      materialize(e);
    }
  }
  uint32_t dst = 0;
  for (size_t i = first; i < stack_.size(); ++i) {
    move(stack_[i], dst);
    dst += slot_bytes(stack_[i].type);
  }
  emit_Return(*this);
}

}  // namespace tern::interp
