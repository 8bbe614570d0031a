// Lowering of validated function bodies to threaded code (see lowering.h and code.h).
#include "engine/interp/lowering.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <string>

#include "engine/interp/interpreter.h"
#include "engine/interp/machine.h"
#include "engine/interp/simd.h"
#include "engine/interp/simd_memory.h"
#include "engine/validator/validator.h"

namespace tern::interp {

namespace {

struct NumericInfo {
  std::array<Op, kOpcodeCount> op;
  std::array<bool, kOpcodeCount> binary;
};

const NumericInfo& numeric_info() {
  static const NumericInfo info = [] {
    NumericInfo n;
    n.op.fill(Op::Count_);
    n.binary.fill(false);
#define UNARY(id, T, R, expr) n.op[size_t(Opcode::id)] = Op::id;
#define BINARY(id, T, R, expr)                  \
  n.op[size_t(Opcode::id)] = Op::id##_ss;       \
  n.binary[size_t(Opcode::id)] = true;
#define LOAD(id, M, R) n.op[size_t(Opcode::id)] = Op::id;
#define STORE(id, T, M) n.op[size_t(Opcode::id)] = Op::id;
#include "engine/interp/numeric_ops.def"
    return n;
  }();
  return info;
}

// Integer ops whose operands may be swapped so that a constant becomes the immediate.
bool commutative(Opcode op) {
  switch (op) {
    case Opcode::I32Add: case Opcode::I32Mul: case Opcode::I32And: case Opcode::I32Or:
    case Opcode::I32Xor: case Opcode::I32Eq: case Opcode::I32Ne:
    case Opcode::I64Add: case Opcode::I64Mul: case Opcode::I64And: case Opcode::I64Or:
    case Opcode::I64Xor: case Opcode::I64Eq: case Opcode::I64Ne:
      return true;
    default:
      return false;
  }
}

// The fused compare-and-branch op for an integer compare, or Count_.
Op branch_compare_op(Opcode op) {
  switch (op) {
#define TERN_X(cmp, T, o) \
  case Opcode::cmp:       \
    return Op::Br##cmp##_ss;
    TERN_INTERP_BRANCH_COMPARES(TERN_X)
#undef TERN_X
    default:
      return Op::Count_;
  }
}

// The compare that is true exactly when `op` is false.
Opcode negated_compare(Opcode op) {
  switch (op) {
    case Opcode::I32Eq: return Opcode::I32Ne;
    case Opcode::I32Ne: return Opcode::I32Eq;
    case Opcode::I32LtS: return Opcode::I32GeS;
    case Opcode::I32GeS: return Opcode::I32LtS;
    case Opcode::I32LtU: return Opcode::I32GeU;
    case Opcode::I32GeU: return Opcode::I32LtU;
    case Opcode::I32GtS: return Opcode::I32LeS;
    case Opcode::I32LeS: return Opcode::I32GtS;
    case Opcode::I32GtU: return Opcode::I32LeU;
    case Opcode::I32LeU: return Opcode::I32GtU;
    case Opcode::I64Eq: return Opcode::I64Ne;
    case Opcode::I64Ne: return Opcode::I64Eq;
    case Opcode::I64LtS: return Opcode::I64GeS;
    case Opcode::I64GeS: return Opcode::I64LtS;
    case Opcode::I64LtU: return Opcode::I64GeU;
    case Opcode::I64GeU: return Opcode::I64LtU;
    case Opcode::I64GtS: return Opcode::I64LeS;
    case Opcode::I64LeS: return Opcode::I64GtS;
    case Opcode::I64GtU: return Opcode::I64LeU;
    default: return Opcode::I64GtU;  // I64LeU
  }
}

bool is_wide(ValType t) { return t == ValType::I64 || t == ValType::F64 || is_ref(t); }

// Frames larger than this could never fit the machine's value stack.
constexpr uint64_t kMaxFrameBytes = uint64_t(4) << 20;
constexpr uint64_t kMaxCodeUnits = uint64_t(1) << 30;

}  // namespace

Op numeric_op(Opcode op) { return numeric_info().op[size_t(op)]; }
bool is_binary_numeric(Opcode op) { return numeric_info().binary[size_t(op)]; }

Lowerer::Lowerer(const Config& config) : config_(config), handlers_(handler_offsets()) {}

// ---- Emission --------------------------------------------------------------------------------

void Lowerer::emit(Op op) {
  instr_start_ = here();
  u32(uint32_t(handlers_[size_t(op)]));
  forget_last();
}

std::optional<Lowerer::Compare> Lowerer::take_compare(const Entry& cond) {
  if (cond.kind != Kind::Stack || !last_compare_ || last_compare_->home != cond.home) {
    return std::nullopt;
  }
  Compare c = *last_compare_;
  code().resize(c.start);
  forget_last();
  return c;
}

void Lowerer::cond_jump(const std::optional<Compare>& cmp, uint32_t cond_slot, bool if_true) {
  if (!cmp) {
    emit(if_true ? Op::BrIf : Op::BrUnless);
    u32(cond_slot);
    return;
  }
  Opcode op = if_true ? cmp->op : negated_compare(cmp->op);
  Op fused = branch_compare_op(op);
  emit(cmp->b_imm ? Op(size_t(fused) + 1) : fused);
  u32(cmp->a);
  bool wide = op >= Opcode::I64Eq && op <= Opcode::I64GeU;
  if (cmp->b_imm && wide) {
    u64(cmp->b);
  } else {
    u32(uint32_t(cmp->b));
  }
}

void Lowerer::set_retargetable(uint32_t dst) {
  last_dst_ = instr_start_ + 1;  // every retargetable op has its destination first
  last_dst_home_ = dst;
}

void Lowerer::jump_to(Ctrl& target) {
  if (target.op == Opcode::Loop) {
    u32(uint32_t(int32_t(target.loop_pos) - int32_t(instr_start_)));
  } else {
    target.fixups.push_back({here(), instr_start_});
    u32(0);
  }
}

void Lowerer::bind(const Fixup& f, uint32_t pos) {
  code()[f.operand] = uint32_t(int32_t(pos) - int32_t(f.instr));
}

void Lowerer::begin_fuel_block() {
  if (!config_.consume_fuel) return;
  emit(Op::Fuel);
  fuel_pos_ = here();
  u32(0);
}

// ---- The operand-stack model -----------------------------------------------------------------

uint32_t Lowerer::home_at(size_t height) const {
  if (height == 0) return out_->locals_bytes;
  const Entry& below = stack_[height - 1];
  return below.home + slot_bytes(below.type);
}

uint32_t Lowerer::push_stack(ValType t) {
  uint32_t home = home_at(stack_.size());
  stack_.push_back(Entry{t, Kind::Stack, home});
  max_end_ = std::max(max_end_, home + slot_bytes(t));
  return home;
}

void Lowerer::push_local(uint32_t index) {
  push_stack(local_types_[index]);
  stack_.back().kind = Kind::Local;
  stack_.back().local = index;
  ++local_refs_[index];
}

void Lowerer::push_const(ValType t, uint64_t bits) {
  push_stack(t);
  stack_.back().kind = Kind::Const;
  stack_.back().bits = bits;
}

Lowerer::Entry Lowerer::pop() {
  Entry e = stack_.back();
  stack_.pop_back();
  if (e.kind == Kind::Local) --local_refs_[e.local];
  return e;
}

void Lowerer::move(const Entry& e, uint32_t dst) {
  switch (e.kind) {
    case Kind::Stack:
    case Kind::Local: {
      uint32_t src = e.kind == Kind::Stack ? e.home : local_slots_[e.local];
      if (src == dst) return;
      emit(e.type == ValType::V128 ? Op::Copy128 : Op::Copy64);
      u32(dst);
      u32(src);
      return;
    }
    case Kind::Const:
      if (is_wide(e.type)) {
        emit(Op::Const64);
        u32(dst);
        u64(e.bits);
      } else {
        emit(Op::Const32);
        u32(dst);
        u32(uint32_t(e.bits));
      }
      return;
  }
}

void Lowerer::materialize(Entry& e) {
  if (e.kind == Kind::Stack) return;
  move(e, e.home);
  e.kind = Kind::Stack;
}

void Lowerer::materialize_all() {
  for (Entry& e : stack_) {
    if (e.kind == Kind::Local) --local_refs_[e.local];
    materialize(e);
  }
}

void Lowerer::materialize_refs_to(uint32_t local) {
  if (local_refs_[local] == 0) return;
  for (Entry& e : stack_) {
    if (e.kind == Kind::Local && e.local == local) {
      --local_refs_[local];
      materialize(e);
    }
  }
}

uint32_t Lowerer::operand(Entry& e) {
  if (e.kind == Kind::Const) materialize(e);
  return e.kind == Kind::Local ? local_slots_[e.local] : e.home;
}

void Lowerer::reset_stack(size_t height, std::span<const ValType> types) {
  while (stack_.size() > height) pop();
  for (ValType t : types) push_stack(t);
}

// ---- The consumer interface ------------------------------------------------------------------

void Lowerer::begin(const ModuleInfo& module, uint32_t func_index, const FuncType& type,
                    std::span<const ValType> locals) {
  module_ = &module;
  out_.reset(new FuncCode);
  out_->func_index = func_index;
  uint32_t at = 0;
  for (size_t i = 0; i < locals.size(); ++i) {
    if (i == type.params.size()) out_->param_bytes = at;
    local_slots_.push_back(at);
    at += slot_bytes(locals[i]);
  }
  if (locals.size() == type.params.size()) out_->param_bytes = at;
  out_->locals_bytes = at;
  local_types_.assign(locals.begin(), locals.end());
  local_refs_.assign(locals.size(), 0);
  results_ = type.results;
  for (ValType t : results_) result_bytes_ += slot_bytes(t);
  max_end_ = at;
  Ctrl body;
  body.op = Opcode::Block;
  body.base_home = at;
  body.results = results_;
  ctrls_.push_back(std::move(body));
  begin_fuel_block();
}

std::optional<Error> Lowerer::finish() {
  if (error_) return error_;
  uint64_t frame = std::max<uint64_t>(max_end_, result_bytes_);
  if (frame > kMaxFrameBytes) {
    return Error::invalid("function frame too large for the interpreter");
  }
  if (code().size() > kMaxCodeUnits) {
    return Error::invalid("function too large for the interpreter");
  }
  out_->frame_bytes = uint32_t(frame);
  return std::nullopt;
}

void Lowerer::instr(const Instr& in, std::span<const ValType> popped,
                    std::span<const ValType> pushed, bool unreachable) {
  switch (in.op) {
    case Opcode::Block:
    case Opcode::Loop:
    case Opcode::If:
    case Opcode::Else:
    case Opcode::End:
      if (fuel_pos_ && !ctrls_.back().dead && !unreachable) ++code()[*fuel_pos_];
      control(in, unreachable);
      return;
    default:
      break;
  }
  if (unreachable || ctrls_.back().dead) return;
  if (fuel_pos_) ++code()[*fuel_pos_];

  switch (in.op) {
    case Opcode::Unreachable:
      emit(Op::Unreachable);
      return;
    case Opcode::Nop:
      return;
    case Opcode::Br:
      branch(in.index);
      return;
    case Opcode::BrIf: {
      Entry cond = pop();
      std::optional<Compare> cmp = take_compare(cond);
      uint32_t c = cmp ? 0 : operand(cond);
      Ctrl& target = ctrls_[ctrls_.size() - 1 - in.index];
      if (!branch_needs_moves(in.index)) {
        cond_jump(cmp, c, true);
        jump_to(target);
      } else {
        cond_jump(cmp, c, false);
        Fixup skip{here(), instr_start_};
        u32(0);
        branch(in.index);
        bind(skip, here());
      }
      begin_fuel_block();
      return;
    }
    case Opcode::BrTable: {
      Entry index = pop();
      uint32_t s = operand(index);
      emit(Op::BrTable);
      uint32_t table = instr_start_;
      u32(s);
      u32(uint32_t(in.targets.size() - 1));
      uint32_t first = here();
      for (size_t i = 0; i < in.targets.size(); ++i) u32(0);
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
      return;
    }
    case Opcode::Return:
      emit_return();
      return;
    case Opcode::Call: {
      const FuncType& t = module_->func_type(in.index);
      uint32_t arg_base = home_at(stack_.size() - t.params.size());
      call(uint32_t(t.params.size()), t.results);
      emit(Op::Call);
      u32(in.index);
      u32(arg_base);
      for (ValType r : t.results) push_stack(r);
      return;
    }
    case Opcode::CallIndirect: {
      const FuncType& t = module_->types[in.index];
      Entry elem = pop();
      uint32_t e = operand(elem);
      uint32_t arg_base = home_at(stack_.size() - t.params.size());
      call(uint32_t(t.params.size()), t.results);
      emit(Op::CallIndirect);
      u32(in.index);
      u32(in.index2);
      u32(e);
      u32(arg_base);
      for (ValType r : t.results) push_stack(r);
      return;
    }
    case Opcode::Drop:
      pop();
      return;
    case Opcode::Select:
    case Opcode::SelectT: {
      Entry c = pop(), b = pop(), a = pop();
      uint32_t sc = operand(c), sb = operand(b), sa = operand(a);
      ValType t = pushed[0];
      uint32_t dst = push_stack(t);
      emit(t == ValType::V128 ? Op::Select128 : Op::Select64);
      u32(dst);
      u32(sa);
      u32(sb);
      u32(sc);
      set_retargetable(dst);
      return;
    }
    case Opcode::LocalGet:
      push_local(in.index);
      return;
    case Opcode::LocalSet:
    case Opcode::LocalTee:
      local_set(in.index, in.op == Opcode::LocalTee);
      return;
    case Opcode::GlobalGet: {
      ValType t = pushed[0];
      uint32_t dst = push_stack(t);
      emit(t == ValType::V128 ? Op::GlobalGet128 : Op::GlobalGet64);
      u32(dst);
      u32(in.index);
      set_retargetable(dst);
      return;
    }
    case Opcode::GlobalSet: {
      Entry v = pop();
      uint32_t s = operand(v);
      emit(v.type == ValType::V128 ? Op::GlobalSet128 : Op::GlobalSet64);
      u32(s);
      u32(in.index);
      return;
    }
    case Opcode::TableGet: {
      Entry i = pop();
      uint32_t si = operand(i);
      uint32_t dst = push_stack(pushed[0]);
      emit(Op::TableGet);
      u32(dst);
      u32(in.index);
      u32(si);
      set_retargetable(dst);
      return;
    }
    case Opcode::TableSet: {
      Entry v = pop(), i = pop();
      uint32_t sv = operand(v), si = operand(i);
      emit(Op::TableSet);
      u32(in.index);
      u32(si);
      u32(sv);
      return;
    }
    case Opcode::TableSize: {
      uint32_t dst = push_stack(ValType::I32);
      emit(Op::TableSize);
      u32(dst);
      u32(in.index);
      return;
    }
    case Opcode::TableGrow: {
      Entry n = pop(), init = pop();
      uint32_t sn = operand(n), sinit = operand(init);
      uint32_t dst = push_stack(ValType::I32);
      emit(Op::TableGrow);
      u32(dst);
      u32(in.index);
      u32(sinit);
      u32(sn);
      return;
    }
    case Opcode::TableFill: {
      Entry n = pop(), v = pop(), i = pop();
      uint32_t sn = operand(n), sv = operand(v), si = operand(i);
      emit(Op::TableFill);
      u32(in.index);
      u32(si);
      u32(sv);
      u32(sn);
      return;
    }
    case Opcode::TableCopy:
    case Opcode::TableInit:
    case Opcode::MemoryInit:
    case Opcode::MemoryCopy:
    case Opcode::MemoryFill: {
      Entry n = pop(), s = pop(), d = pop();
      uint32_t sn = operand(n), ss = operand(s), sd = operand(d);
      switch (in.op) {
        case Opcode::TableCopy: emit(Op::TableCopy), u32(in.index), u32(in.index2); break;
        case Opcode::TableInit: emit(Op::TableInit), u32(in.index), u32(in.index2); break;
        case Opcode::MemoryInit: emit(Op::MemoryInit), u32(in.index); break;
        case Opcode::MemoryCopy: emit(Op::MemoryCopy); break;
        default: emit(Op::MemoryFill); break;
      }
      u32(sd);
      u32(ss);
      u32(sn);
      return;
    }
    case Opcode::ElemDrop:
    case Opcode::DataDrop:
      emit(in.op == Opcode::ElemDrop ? Op::ElemDrop : Op::DataDrop);
      u32(in.index);
      return;
    case Opcode::MemorySize: {
      uint32_t dst = push_stack(ValType::I32);
      emit(Op::MemorySize);
      u32(dst);
      return;
    }
    case Opcode::MemoryGrow: {
      Entry delta = pop();
      uint32_t s = operand(delta);
      uint32_t dst = push_stack(ValType::I32);
      emit(Op::MemoryGrow);
      u32(dst);
      u32(s);
      return;
    }
    case Opcode::I32Const:
      push_const(ValType::I32, uint32_t(in.bits));
      return;
    case Opcode::I64Const:
    case Opcode::F32Const:
    case Opcode::F64Const:
      push_const(pushed[0], in.bits);
      return;
    case Opcode::RefNull:
      push_const(in.type, 0);
      return;
    case Opcode::RefIsNull: {
      Entry r = pop();
      uint32_t s = operand(r);
      uint32_t dst = push_stack(ValType::I32);
      emit(Op::RefIsNull);
      u32(dst);
      u32(s);
      set_retargetable(dst);
      return;
    }
    case Opcode::RefFunc: {
      uint32_t dst = push_stack(ValType::FuncRef);
      emit(Op::RefFunc);
      u32(dst);
      u32(in.index);
      set_retargetable(dst);
      return;
    }
    default:
      break;
  }
  (void)popped;
  if (numeric_op(in.op) != Op::Count_) {
    numeric(in, pushed);
  } else if (!simd(in, pushed) && !error_) {
    error_ = Error::invalid("the interpreter cannot lower " + std::string(name_of(in.op)),
                            in.offset);
  }
}

// ---- Control ---------------------------------------------------------------------------------

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
          cond_jump(cmp, cond, false);
          c.else_fixup = Fixup{here(), instr_start_};
          u32(0);
          begin_fuel_block();
        } else if (in.op == Opcode::Loop) {
          c.loop_pos = here();
          begin_fuel_block();
          emit(Op::Check);
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
        emit(Op::Jmp);
        jump_to(c);
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
  emit(Op::Jmp);
  jump_to(t);
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
  emit(Op::Return);
}

void Lowerer::call(uint32_t arg_count, std::span<const ValType>) {
  for (size_t i = stack_.size() - arg_count; i < stack_.size(); ++i) {
    if (stack_[i].kind == Kind::Local) --local_refs_[stack_[i].local];
    materialize(stack_[i]);
  }
  stack_.resize(stack_.size() - arg_count);
}

void Lowerer::local_set(uint32_t index, bool tee) {
  Entry v = pop();
  uint32_t slot = local_slots_[index];
  bool same = v.kind == Kind::Local && v.local == index;
  if (!same) {
    materialize_refs_to(index);
    if (v.kind == Kind::Stack && last_dst_ && last_dst_home_ == v.home) {
      code()[*last_dst_] = slot;  // the producer writes the local directly
    } else {
      move(v, slot);
    }
  }
  forget_last();
  if (tee) push_local(index);
}

// ---- Numeric and SIMD ------------------------------------------------------------------------

void Lowerer::numeric(const Instr& in, std::span<const ValType> pushed) {
  Op op = numeric_op(in.op);
  const OpcodeInfo& info = tern::info(in.op);
  if (info.imm == ImmKind::MemArg) {
    if (pushed.empty()) {  // a store
      Entry v = pop(), a = pop();
      // A constant value goes to its home, which may be the slot the add read its index from.
      if (a.kind == Kind::Stack && last_add_ && last_add_->home == a.home &&
          (v.kind != Kind::Const || last_add_->b_imm || last_add_->b != v.home)) {
        // The address is the i32.add just emitted: the store computes it itself.
        Compare add = *last_add_;
        code().resize(add.start);
        uint32_t sv = operand(v);
        emit(Op(size_t(op) + (add.b_imm ? 2 : 1)));  // the _add_si or _add_ss form
        u32(add.a);
        u32(uint32_t(add.b));
        u32(sv);
        u32(uint32_t(in.mem.offset));
        return;
      }
      uint32_t sv = operand(v), sa = operand(a);
      emit(op);
      u32(sa);
      u32(sv);
      u32(uint32_t(in.mem.offset));
    } else {
      Entry a = pop();
      if (a.kind == Kind::Stack && last_add_ && last_add_->home == a.home) {
        // The address is the i32.add just emitted: the load computes it itself.
        Compare add = *last_add_;
        code().resize(add.start);
        uint32_t dst = push_stack(pushed[0]);
        emit(Op(size_t(op) + (add.b_imm ? 2 : 1)));  // the _add_si or _add_ss form
        u32(dst);
        u32(add.a);
        u32(uint32_t(add.b));
        u32(uint32_t(in.mem.offset));
        set_retargetable(dst);
        return;
      }
      uint32_t sa = operand(a);
      uint32_t dst = push_stack(pushed[0]);
      emit(op);
      u32(dst);
      u32(sa);
      u32(uint32_t(in.mem.offset));
      set_retargetable(dst);
    }
    return;
  }
  if (!is_binary_numeric(in.op)) {
    Entry a = pop();
    uint32_t sa = operand(a);
    uint32_t dst = push_stack(pushed[0]);
    emit(op);
    u32(dst);
    u32(sa);
    set_retargetable(dst);
    if (in.op == Opcode::I32Eqz || in.op == Opcode::I64Eqz) {
      Opcode eq = in.op == Opcode::I32Eqz ? Opcode::I32Eq : Opcode::I64Eq;
      last_compare_ = Compare{eq, instr_start_, sa, true, 0, dst};
    }
    return;
  }
  Entry b = pop(), a = pop();
  if (a.kind == Kind::Const && b.kind != Kind::Const && commutative(in.op)) std::swap(a, b);
  uint32_t sa = operand(a);
  if (b.kind == Kind::Const) {
    uint32_t dst = push_stack(pushed[0]);
    emit(Op(size_t(op) + 1));  // the _si form
    u32(dst);
    u32(sa);
    if (is_wide(b.type)) {
      u64(b.bits);
    } else {
      u32(uint32_t(b.bits));
    }
    set_retargetable(dst);
    if (branch_compare_op(in.op) != Op::Count_) {
      last_compare_ = Compare{in.op, instr_start_, sa, true, b.bits, dst};
    } else if (in.op == Opcode::I32Add) {
      last_add_ = Compare{in.op, instr_start_, sa, true, b.bits, dst};
    }
    return;
  }
  uint32_t sb = operand(b);
  uint32_t dst = push_stack(pushed[0]);
  emit(op);
  u32(dst);
  u32(sa);
  u32(sb);
  set_retargetable(dst);
  if (branch_compare_op(in.op) != Op::Count_) {
    last_compare_ = Compare{in.op, instr_start_, sa, false, sb, dst};
  } else if (in.op == Opcode::I32Add) {
    last_add_ = Compare{in.op, instr_start_, sa, false, sb, dst};
  }
}

bool Lowerer::simd(const Instr& in, std::span<const ValType> pushed) {
  const OpcodeInfo& info = tern::info(in.op);
  auto unary_shape = [&](Op op, const void* fn) {
    Entry a = pop();
    uint32_t sa = operand(a);
    uint32_t dst = push_stack(pushed[0]);
    emit(op);
    u32(dst);
    u32(sa);
    fn_ptr(fn);
    set_retargetable(dst);
  };
  auto binary_shape = [&](Op op, const void* fn) {
    Entry b = pop(), a = pop();
    uint32_t sb = operand(b), sa = operand(a);
    uint32_t dst = push_stack(pushed[0]);
    emit(op);
    u32(dst);
    u32(sa);
    u32(sb);
    fn_ptr(fn);
    set_retargetable(dst);
  };
  switch (in.op) {
    case Opcode::V128Const: {
      uint32_t dst = push_stack(ValType::V128);
      emit(Op::Const128);
      u32(dst);
      for (int i = 0; i < 4; ++i) {
        uint32_t w;
        std::memcpy(&w, in.v128.bytes + 4 * i, 4);
        u32(w);
      }
      return true;
    }
    case Opcode::V128Store: {
      Entry v = pop(), a = pop();
      uint32_t sv = operand(v), sa = operand(a);
      emit(Op::V128Store);
      u32(sa);
      u32(sv);
      u32(uint32_t(in.mem.offset));
      return true;
    }
    case Opcode::I8x16Shuffle: {
      Entry b = pop(), a = pop();
      uint32_t sb = operand(b), sa = operand(a);
      uint32_t dst = push_stack(ValType::V128);
      emit(Op::SimdShuffle);
      u32(dst);
      u32(sa);
      u32(sb);
      for (int i = 0; i < 4; ++i) {
        uint32_t w;
        std::memcpy(&w, in.v128.bytes + 4 * i, 4);
        u32(w);
      }
      set_retargetable(dst);
      return true;
    }
    default:
      break;
  }
  if (info.imm == ImmKind::MemArgLane) {
    Entry v = pop(), a = pop();
    uint32_t sv = operand(v), sa = operand(a);
    if (pushed.empty()) {
      emit(Op::V128StoreLane);
    } else {
      uint32_t dst = push_stack(ValType::V128);
      emit(Op::V128LoadLane);
      u32(dst);
    }
    u32(sa);
    u32(sv);
    u32(uint32_t(in.mem.offset));
    u32(info.n);
    u32(in.lane);
    return true;
  }
  if (info.imm == ImmKind::MemArg) {
    SimdLoadFn fn = simd_load_fn(in.op);
    if (!fn) return false;
    Entry a = pop();
    uint32_t sa = operand(a);
    uint32_t dst = push_stack(ValType::V128);
    emit(Op::V128Load);
    u32(dst);
    u32(sa);
    u32(uint32_t(in.mem.offset));
    u32(info.n);
    fn_ptr(reinterpret_cast<const void*>(fn));
    set_retargetable(dst);
    return true;
  }
  if (info.imm == ImmKind::Lane) {
    if (auto fn = simd::extract(in.op)) {
      Entry a = pop();
      uint32_t sa = operand(a);
      uint32_t dst = push_stack(pushed[0]);
      emit(Op::SimdExtract);
      u32(dst);
      u32(sa);
      u32(in.lane);
      fn_ptr(reinterpret_cast<const void*>(fn));
      set_retargetable(dst);
      return true;
    }
    if (auto fn = simd::replace(in.op)) {
      Entry x = pop(), v = pop();
      uint32_t sx = operand(x), sv = operand(v);
      uint32_t dst = push_stack(ValType::V128);
      emit(Op::SimdReplace);
      u32(dst);
      u32(sv);
      u32(sx);
      u32(in.lane);
      fn_ptr(reinterpret_cast<const void*>(fn));
      set_retargetable(dst);
      return true;
    }
    return false;
  }
  auto ptr = [](auto fn) { return reinterpret_cast<const void*>(fn); };
  if (auto fn = simd::unary(in.op)) return unary_shape(Op::SimdUnary, ptr(fn)), true;
  if (auto fn = simd::test(in.op)) return unary_shape(Op::SimdTest, ptr(fn)), true;
  if (auto fn = simd::splat(in.op)) return unary_shape(Op::SimdSplat, ptr(fn)), true;
  if (auto fn = simd::binary(in.op)) return binary_shape(Op::SimdBinary, ptr(fn)), true;
  if (auto fn = simd::shift(in.op)) return binary_shape(Op::SimdShift, ptr(fn)), true;
  if (auto fn = simd::ternary(in.op)) {
    Entry c = pop(), b = pop(), a = pop();
    uint32_t sc = operand(c), sb = operand(b), sa = operand(a);
    uint32_t dst = push_stack(ValType::V128);
    emit(Op::SimdTernary);
    u32(dst);
    u32(sa);
    u32(sb);
    u32(sc);
    fn_ptr(reinterpret_cast<const void*>(fn));
    set_retargetable(dst);
    return true;
  }
  return false;
}

// ---- Entry point -----------------------------------------------------------------------------

Result<FuncCodePtr> compile_function(const ModuleInfo& module, uint32_t defined_index,
                                     const Config& config) {
  Lowerer lowerer(config);
  TERN_TRY(validate_function(module, defined_index, &lowerer));
  return lowerer.take();
}

}  // namespace tern::interp
