// FuncCompiler's control flow: function entry and exit, blocks, branches and br_table, trap
// labels, fuel blocks and interrupt checks (see func_compiler.h).
#include <algorithm>
#include <string>

#include "engine/runtime/gc_collector.h"
#include "jit/common/func_compiler.h"
#include "jit/common/helpers.h"

namespace tern::jit {

namespace {

// Registers of each class a loop head leaves free of cached locals: enough for any instruction.
constexpr uint32_t kRegsForOperands = 3;
// br_table jumps through a table from this many targets (the default aside) on; below, a chain
// of compares, which costs a compare and a branch per target passed but no indirect jump, and
// resolves a mispredicted branch sooner than the table's load and indirect jump. Measured on
// x86-64 (docs/jit.md): with indices the predictor follows, the two are even up to 8 targets
// and the table ahead from 12; with random indices the chain is ahead up to 16.
constexpr size_t kMinJumpTable = 8;

}  // namespace

// ---- Entry and exit ------------------------------------------------------------------------

void FuncCompiler::begin(const ModuleInfo& module, uint32_t func_index, const FuncType& type,
                         std::span<const ValType> locals) {
  func_index_ = func_index;
  local_types_ = locals;
  if (!v128_ok_ && (std::ranges::find(locals, ValType::V128) != locals.end() ||
                    std::ranges::find(type.results, ValType::V128) != type.results.end())) {
    error_ = Error::invalid("jit: v128 values are not compiled on this host");
    return;
  }
  num_local_slots_ = slots_of(locals);
  if (num_local_slots_ != locals.size()) {
    uint32_t next = 0;
    for (ValType t : locals) {
      local_slots_.push_back(next);
      next += slots_of(t);
    }
  }
  for (uint32_t i = 0; i < locals.size(); ++i) {
    if (rt::may_hold_gc_object(locals[i])) gc_local_slots_.push_back(local_slot(i));
  }
  cache_locals_ = !config_.consume_fuel;
  results_ = type.results;
  value_area_size_ = std::max(slots_of(type.params), slots_of(type.results));
  exit_label_ = masm_.new_label();
  stack_exhausted_ = masm_.new_label();
  uint32_t defined = func_index - module.num_imported_funcs;
  // The prologue's traps (and the interrupt check at entry) are at the body's start.
  body_offset_ = module.bodies[defined].start;
  wasm_offset_ = body_offset_;
  masm_.set_wasm_offset(wasm_offset_);
  masm_.comment("; func " + std::to_string(func_index));
  Label entry = func_labels_.empty() ? masm_.new_label() : func_labels_[defined - first_labelled_];
  masm_.begin_function(entry, slots_of(type.params), num_local_slots_, stack_exhausted_);
  check_interrupt();
  Ctrl body;
  body.op = Opcode::Block;
  body.results = type.results;
  body.label = exit_label_;
  ctrls_.push_back(std::move(body));
  begin_fuel_block();
}

std::optional<Error> FuncCompiler::finish() {
  if (error_) return error_;
  // The body's end (which bound exit_label_) leaves the results in slots 0..n-1.
  masm_.return_from_function(slot_at(0), slots_of(results_));
  for (const GenericCall& g : generic_calls_) {
    masm_.bind(g.at);
    masm_.call_helper(g.fn, g.values, g.imm);
    masm_.record_safepoint(g.gc_slots);
    masm_.branch_if_trap_pending(g.pending);
    masm_.jump(g.resume);
  }
  for (const auto& [at, plan] : branch_stubs_) {
    masm_.bind(at);
    emit_branch(plan);
  }
  emit_exception_stubs();
  masm_.bind(stack_exhausted_);
  masm_.set_wasm_offset(body_offset_);
  masm_.mark_wasm_offset();
  masm_.raise_trap(TrapCode::CallStackExhausted);
  for (const TrapStub& stub : trap_labels_) {
    masm_.bind(stub.label);
    masm_.set_wasm_offset(stub.wasm_offset);
    masm_.mark_wasm_offset();
    masm_.raise_trap(stub.code);
  }
  if (pending_label_) {
    // Shared by the calls that leave their frame (return_call's generic path): no one offset.
    masm_.bind(*pending_label_);
    masm_.set_wasm_offset(kUnknownWasmOffset);
    masm_.mark_wasm_offset();
    masm_.raise_pending_trap();
  }
  uint64_t slots = uint64_t(num_local_slots_) + std::max(max_slots_, slots_of(results_));
  if (slots + spares_ > kMaxFrameSlots) {
    return Error{ErrorKind::Limit,
                 "implementation limit: the function's frame needs " +
                     std::to_string(slots + spares_) + " slots, the jit allows " +
                     std::to_string(kMaxFrameSlots),
                 {},
                 {}};
  }
  uint32_t frame_bytes = masm_.finish_frame(uint32_t(slots), spares_);
  if (!tries_.empty()) masm_.add_handler_table(frame_bytes, std::move(tries_));
  return std::nullopt;
}

void FuncCompiler::fail(const Instr& in, const char* why) {
  if (!error_) {
    error_ = Error::invalid(std::string("jit: ") + why + " '" + std::string(name_of(in.op)) + "'",
                            in.offset);
  }
}

Label FuncCompiler::trap_label(TrapCode code) {
  // Stubs are added in instruction order: only the last few can be this instruction's, and a
  // search of them all would be quadratic in the function's trapping instructions.
  for (auto it = trap_labels_.rbegin(); it != trap_labels_.rend(); ++it) {
    if (it->wasm_offset != wasm_offset_) break;
    if (it->code == code) return it->label;
  }
  trap_labels_.push_back({code, wasm_offset_, masm_.new_label()});
  return trap_labels_.back().label;
}

void FuncCompiler::check_interrupt() {
  masm_.branch_if_interrupted(trap_label(TrapCode::Interrupted));
}

// Fuel is charged per block of straight-line code, as the interpreter does: the block's cost
// (one per instruction) is only known at its end, so the code reads it from a cell.
void FuncCompiler::begin_fuel_block() {
  if (!config_.consume_fuel) return;
  fuel_cells_.push_back(0);
  fuel_cell_ = &fuel_cells_.back();
  flush_all();
  before_call();
  masm_.mark_wasm_offset();
  masm_.call_helper(helpers::consume_fuel, slot_at(height()), uint64_t(uintptr_t(fuel_cell_)));
  masm_.branch_if_trap_pending(pending_trap_after_call());
}
// ---- Control -------------------------------------------------------------------------------

void FuncCompiler::enter_block(const Instr& in, bool dead) {
  Ctrl c;
  c.op = in.op;
  c.params.assign(in.block.params.begin(), in.block.params.end());
  c.results.assign(in.block.results.begin(), in.block.results.end());
  c.dead = dead;
  if (dead) {
    ctrls_.push_back(std::move(c));
    return;
  }
  Operand cond;
  if (in.op == Opcode::If) cond = pop_condition();
  flush_all();
  c.height = height() - uint32_t(c.params.size());
  if (in.op == Opcode::Loop) {
    if (!cache_loop_locals(in.offset)) {
      // The head keeps the most recently used cached locals, leaving registers for operands.
      for (RegClass cls : {RegClass::Gp, RegClass::Fp}) {
        auto of_class = [cls](const CachedLocal& e) { return e.cls() == cls; };
        size_t keep = masm_.num_regs(cls) - kRegsForOperands;
        while (size_t(std::ranges::count_if(cache_, of_class)) > keep) {
          auto lru = std::ranges::min_element(cache_, {}, [&](const CachedLocal& e) {
            return of_class(e) ? e.last_use : UINT32_MAX;
          });
          evict_local(size_t(lru - cache_.begin()));
        }
      }
      // Back edges may bring them changed: at the head their slots are taken as stale.
      for (CachedLocal& e : cache_) e.dirty = true;
    }
    c.label_cache = cache_;
    ++loop_depth_;
    c.label = masm_.new_label();
    masm_.bind(c.label);
  } else {
    c.label = masm_.new_label();
  }
  if (in.op == Opcode::If) {
    // The then arm may overwrite the params' slots; the else arm gets a copy.
    c.param_spares = spares_;
    spares_ += slots_of(c.params);
    Slot params = slot_at(c.height);
    for (uint32_t i = 0; i < slots_of(c.params); ++i) {
      masm_.copy_slot(Slot{Slot::Kind::Spare, c.param_spares + i}, next_slot(params, i));
    }
    c.else_label = masm_.new_label();
    c.else_cache = cache_;  // the else arm starts where the branch leaves
    branch_on(cond, true, c.else_label);
  }
  ctrls_.push_back(std::move(c));
  if (in.op != Opcode::Block) begin_fuel_block();
  if (in.op == Opcode::Loop) check_interrupt();
}

void FuncCompiler::else_arm(bool unreachable, bool implicit) {
  Ctrl& c = ctrls_.back();
  c.has_else = true;
  if (c.dead) return;
  if (!unreachable || implicit) c.targeted = true;
  if (!unreachable) {
    flush_all();
    emit_branch(plan_branch(0));
  }
  masm_.bind(c.else_label);
  truncate(c.height);
  Slot params = slot_at(c.height);
  for (uint32_t i = 0; i < slots_of(c.params); ++i) {
    masm_.copy_slot(next_slot(params, i), Slot{Slot::Kind::Spare, c.param_spares + i});
  }
  for (ValType t : c.params) push_slot(t);
  adopt_locals(ctrls_.back().else_cache);
  if (!implicit) begin_fuel_block();
}

void FuncCompiler::end_block(bool unreachable) {
  if (ctrls_.back().op == Opcode::If && !ctrls_.back().has_else && !ctrls_.back().dead) {
    // An if without else: the missing arm passes its params through as results.
    else_arm(unreachable, true);
    unreachable = false;
  }
  Ctrl c = std::move(ctrls_.back());
  ctrls_.pop_back();
  if (c.dead) return;
  if (c.op == Opcode::Loop) --loop_depth_;
  if (!unreachable) flush_all();
  // Where branches arrive too, the fallthrough conforms to the label's cache; the function's
  // end needs none.
  bool merges = c.op != Opcode::Loop && c.targeted && !ctrls_.empty();
  if (merges && !unreachable) emit_transfer(plan_transfer(c));
  if (c.op != Opcode::Loop) masm_.bind(c.label);
  truncate(c.height);
  for (ValType t : c.results) push_slot(t);
  if (merges) {
    adopt_locals(*c.label_cache);
  } else if (unreachable) {
    forget_locals();
  }
  // Like the interpreter, a new fuel block starts where control can arrive from elsewhere.
  if (!ctrls_.empty() && c.op != Opcode::Loop && c.targeted) begin_fuel_block();
}

const LoopLocals* FuncCompiler::loop_locals(uint32_t loop_offset) {
  auto find = [&]() -> const LoopLocals* {
    auto it = std::ranges::lower_bound(loop_scans_, loop_offset, {}, &LoopLocals::offset);
    return it != loop_scans_.end() && it->offset == loop_offset ? &*it : nullptr;
  };
  // A scan from an enclosing loop may have stopped inside this one (kMaxScanBytes).
  const LoopLocals* scan = find();
  if (scan && (scan->complete || loop_scans_.front().offset == loop_offset)) return scan;
  // An outermost loop, or one the last scan did not finish: one scan covers it and its nested
  // ones.
  const ModuleInfo& info = module_.info;
  loop_scans_ =
      scan_loop_locals(info, info.bodies[func_index_ - info.num_imported_funcs], loop_offset);
  return find();
}

bool FuncCompiler::cache_loop_locals(uint32_t loop_offset) {
  const LoopLocals* scan = cache_locals_ ? loop_locals(loop_offset) : nullptr;
  if (!scan || !scan->complete) return false;
  std::vector<LoopLocalUse> busiest = scan->uses;
  std::ranges::sort(busiest, [](const LoopLocalUse& a, const LoopLocalUse& b) {
    return a.weight != b.weight ? a.weight > b.weight : a.local < b.local;
  });
  std::vector<const LoopLocalUse*> chosen;
  uint32_t taken[2] = {};
  for (const LoopLocalUse& u : busiest) {
    RegClass cls = reg_class(local_types_[u.local]);
    if (u.weight != 0 && taken[size_t(cls)] + kRegsForOperands < masm_.num_regs(cls)) {
      chosen.push_back(&u);
      ++taken[size_t(cls)];
    }
  }
  auto choice = [&](uint32_t local) {
    auto it = std::ranges::find(chosen, local, &LoopLocalUse::local);
    return it == chosen.end() ? nullptr : *it;
  };
  // A register held for a local the loop does not use would only be taken from its operands.
  for (size_t i = cache_.size(); i-- > 0;) {
    if (!choice(cache_[i].local)) evict_local(i);
  }
  for (const LoopLocalUse* u : chosen) {
    if (cached(u->local)) continue;
    ValType t = local_types_[u->local];
    Reg r = alloc_reg(reg_class(t));
    load(t, r, local_slot(u->local));
    cache_local(u->local, t, r, false);
  }
  // Back edges may bring what the loop assigns changed: at the head those slots are stale.
  for (CachedLocal& e : cache_) e.dirty |= choice(e.local)->assigned;
  return true;
}

FuncCompiler::BranchPlan FuncCompiler::plan_branch(uint32_t depth) {
  Ctrl& target = ctrls_[ctrls_.size() - 1 - depth];
  uint32_t n = uint32_t(target.label_types().size());
  BranchPlan plan = plan_transfer(target);
  // Slot by slot; ascending order never overwrites a source not yet read: target.height <= from.
  Slot dst = slot_at(target.height), src = slot_at(height() - n);
  for (uint32_t i = 0; i < slots_of(target.label_types()) && dst.index != src.index; ++i) {
    plan.copies.emplace_back(next_slot(dst, i), next_slot(src, i));
  }
  return plan;
}

// The stores and loads that bring the cached locals to what `target`'s label expects; the first
// path to reach a label (other than a loop head) sets that. A return leaves them behind.
FuncCompiler::BranchPlan FuncCompiler::plan_transfer(Ctrl& target) {
  BranchPlan plan;
  plan.target = target.label;
  if (&target == &ctrls_.front()) return plan;
  if (!target.label_cache) {
    target.label_cache = cache_;
    return plan;
  }
  const std::vector<CachedLocal>& expected = *target.label_cache;
  for (const CachedLocal& e : cache_) {
    auto there = std::ranges::find(expected, e.local, &CachedLocal::local);
    bool in_place = there != expected.end() && there->reg == e.reg;
    // A slot the label takes as current must be.
    if (e.dirty && !(in_place && there->dirty)) plan.stores.push_back(e);
  }
  // After the stores, every local not in its expected register has a current slot, so the
  // loads may go in any order.
  for (const CachedLocal& h : expected) {
    if (!cached_in(h.local, h.reg)) plan.loads.push_back(h);
  }
  return plan;
}

void FuncCompiler::emit_transfer(const BranchPlan& plan) {
  for (const CachedLocal& e : plan.stores) store_local(e);
  for (const auto& [dst, src] : plan.copies) masm_.copy_slot(dst, src);
  for (const CachedLocal& h : plan.loads) load(h.type, h.reg, local_slot(h.local));
}

void FuncCompiler::emit_branch(const BranchPlan& plan) {
  emit_transfer(plan);
  masm_.jump(plan.target);
}

void FuncCompiler::branch_to(uint32_t depth) {
  ctrls_[ctrls_.size() - 1 - depth].targeted = true;
  flush_all();
  emit_branch(plan_branch(depth));
}

void FuncCompiler::br_if(uint32_t depth, const Operand& cond) {
  flush_all();
  Ctrl& target = ctrls_[ctrls_.size() - 1 - depth];
  target.targeted = true;
  BranchPlan plan = plan_branch(depth);
  if (target.op == Opcode::Loop && !plan.stores.empty()) {
    // A back edge is usually taken: its stores go before the branch, for both paths.
    for (const CachedLocal& e : plan.stores) {
      store_local(e);
      cached(e.local)->dirty = false;
    }
    plan.stores.clear();
  }
  if (plan.empty()) {
    branch_on(cond, false, plan.target);
  } else if (target.op == Opcode::Loop) {
    Label skip = masm_.new_label();
    branch_on(cond, true, skip);
    emit_branch(plan);
    masm_.bind(skip);
  } else {
    // An exit is usually not taken: its stores and moves go out of line, after the body.
    Label taken = masm_.new_label();
    branch_on(cond, false, taken);
    branch_stubs_.emplace_back(taken, std::move(plan));
  }
}

void FuncCompiler::br_table(const Instr& in) {
  Reg index = pop_to_reg();
  flush_all();
  // Each distinct target is planned once: jumped to directly, or through a stub of its own
  // when taking it needs stores or moves.
  std::vector<std::pair<uint32_t, Label>> labels;  // by depth
  std::vector<std::pair<Label, BranchPlan>> stubs;
  auto target_label = [&](uint32_t depth) {
    for (auto& [d, l] : labels) {
      if (d == depth) return l;
    }
    Ctrl& target = ctrls_[ctrls_.size() - 1 - depth];
    target.targeted = true;
    BranchPlan plan = plan_branch(depth);
    Label l = target.label;
    if (!plan.empty()) {
      l = masm_.new_label();
      stubs.emplace_back(l, std::move(plan));
    }
    labels.emplace_back(depth, l);
    return l;
  };
  size_t n = in.targets.size() - 1;
  if (n >= kMinJumpTable) {
    std::vector<Label> table;
    table.reserve(n);
    for (size_t i = 0; i < n; ++i) table.push_back(target_label(in.targets[i]));
    masm_.jump_table(index, table, target_label(in.targets[n]));
  } else {
    for (size_t i = 0; i < n; ++i)
      masm_.branch_if_equal(index, uint32_t(i), target_label(in.targets[i]));
    masm_.jump(target_label(in.targets[n]));
  }
  free_reg(RegClass::Gp, index);
  for (const auto& [label, plan] : stubs) {
    masm_.bind(label);
    emit_branch(plan);
  }
}
}  // namespace tern::jit
