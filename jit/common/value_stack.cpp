// FuncCompiler's value stack and register cache: operands, register allocation, spills, cached
// locals and their write-backs, pending comparisons (see func_compiler.h).
#include <algorithm>

#include "engine/runtime/gc_collector.h"
#include "jit/common/func_compiler.h"

namespace tern::jit {

// ---- Value stack ---------------------------------------------------------------------------

void FuncCompiler::push(Operand op) {
  op.slot = stack_slots(height());
  stack_.push_back(op);
  max_slots_ = std::max(max_slots_, op.slot + slots_of(op.type));
}

FuncCompiler::Operand FuncCompiler::pop() {
  Operand op = stack_.back();
  stack_.pop_back();
  if (op.kind == Kind::Local) pinned_regs_[size_t(reg_class(op.type))] |= 1u << op.reg;
  if (op.kind == Kind::Compare) {
    if (op.lhs_borrowed) pinned_regs_[size_t(RegClass::Gp)] |= 1u << op.reg;
    if (op.rhs_borrowed) pinned_regs_[size_t(RegClass::Gp)] |= 1u << op.rhs;
  }
  return op;  // a register stays allocated until the caller frees or re-pushes it
}

Reg FuncCompiler::alloc_reg(RegClass c) {
  uint32_t& used = used_regs_[size_t(c)];
  if (!has_free_reg(c)) {
    // Free a cached local of the class, else spill the deepest register operand: the one least
    // likely to be needed soon. The victim is the least recently used local, preferring those
    // the innermost loop's head does not hold: the back edge would have to reload those.
    auto loop = std::ranges::find(ctrls_.rbegin(), ctrls_.rend(), Opcode::Loop, &Ctrl::op);
    auto held_by_head = [&](const CachedLocal& e) {
      return loop != ctrls_.rend() && loop->label_cache &&
             std::ranges::find(*loop->label_cache, e.local, &CachedLocal::local) !=
                 loop->label_cache->end();
    };
    auto lru = cache_.end();
    for (auto it = cache_.begin(); it != cache_.end(); ++it) {
      if (it->cls() != c || (pinned_regs_[size_t(c)] & (1u << it->reg))) continue;
      if (lru == cache_.end() || std::pair(held_by_head(*it), it->last_use) <
                                     std::pair(held_by_head(*lru), lru->last_use)) {
        lru = it;
      }
    }
    if (lru != cache_.end()) {
      evict_local(size_t(lru - cache_.begin()));
    } else {
      for (uint32_t h = 0; h < height(); ++h) {
        Operand& op = stack_[h];
        if (op.kind != Kind::Reg || reg_class(op.type) != c) continue;
        store_operand(slot_at(h), op);
        free_operand(op);
        op.kind = Kind::Slot;
        break;
      }
    }
  }
  for (Reg r = 0; r < masm_.num_regs(c); ++r) {
    if (!(used & (1u << r))) {
      used |= 1u << r;
      return r;
    }
  }
  // Unreachable: at most three registers are held outside the stack at any time.
  return 0;
}

Reg FuncCompiler::to_reg(const Operand& op, uint32_t at_height) {
  if (op.kind == Kind::Reg) return op.reg;
  if (op.kind == Kind::Compare) {
    Reg dst = op.lhs_borrowed ? alloc_reg(RegClass::Gp) : op.reg;
    if (op.rhs_in_reg) {
      masm_.compare(op.cond, op.width, dst, op.reg, op.rhs);
      if (!op.rhs_borrowed) free_reg(RegClass::Gp, op.rhs);
    } else {
      masm_.compare_imm(op.cond, op.width, dst, op.reg, int64_t(op.bits));
    }
    return dst;
  }
  RegClass c = reg_class(op.type);
  Reg r = alloc_reg(c);
  if (op.kind == Kind::Local) {
    // alloc_reg may have evicted the local, but eviction only stores: its register still
    // holds the value.
    if (r != op.reg) move(op.type, r, op.reg);
  } else if (op.kind == Kind::Const) {
    // Never a v128: v128.const goes to a register at once (its bits do not fit `bits`).
    c == RegClass::Fp ? masm_.mov_imm_fp(r, op.bits) : masm_.mov_imm(r, op.bits);
  } else {
    load(op.type, r, slot_at(at_height));
  }
  return r;
}

Reg FuncCompiler::pop_to_reg() {
  Operand op = pop();
  return to_reg(op, height());
}

FuncCompiler::Operand FuncCompiler::pop_condition() {
  Operand op = pop();
  if (op.kind == Kind::Compare) return op;
  if (op.kind == Kind::Local) {  // the cached local's register, tested in place
    Operand test = null_test(op.reg, Cond::Ne, true);
    test.width = Width::W32;
    return test;
  }
  return Operand{ValType::I32, Kind::Reg, to_reg(op, height()), 0};
}

// A v128 only reaches these where the backend has a SimdAssembler: SupportCheck refuses its
// functions otherwise.
void FuncCompiler::load(ValType t, Reg dst, Slot src) {
  if (t == ValType::V128) return masm_.simd()->load_slot(dst, src);
  reg_class(t) == RegClass::Fp ? masm_.load_slot_fp(dst, src) : masm_.load_slot(dst, src);
}

void FuncCompiler::store(Slot dst, ValType t, Reg src) {
  if (t == ValType::V128) return masm_.simd()->store_slot(dst, src);
  reg_class(t) == RegClass::Fp ? masm_.store_slot_fp(dst, src) : masm_.store_slot(dst, src);
}

void FuncCompiler::move(ValType t, Reg dst, Reg src) {
  if (t == ValType::V128) return masm_.simd()->mov(dst, src);
  reg_class(t) == RegClass::Fp ? masm_.mov_fp(dst, src) : masm_.mov(dst, src);
}

void FuncCompiler::copy_value(ValType t, Slot dst, Slot src) {
  for (uint32_t k = 0; k < slots_of(t); ++k) masm_.copy_slot(next_slot(dst, k), next_slot(src, k));
}

bool FuncCompiler::has_free_reg(RegClass c) const {
  uint32_t all = (1u << masm_.num_regs(c)) - 1;
  return (used_regs_[size_t(c)] & all) != all;
}

// ---- Cached locals -------------------------------------------------------------------------

FuncCompiler::CachedLocal* FuncCompiler::cached(uint32_t local) {
  for (CachedLocal& e : cache_) {
    if (e.local == local) return &e;
  }
  return nullptr;
}

void FuncCompiler::cache_local(uint32_t local, ValType t, Reg r, bool dirty) {
  cache_.push_back({local, r, t, dirty, ++use_clock_});
}

void FuncCompiler::store_local(const CachedLocal& e) {
  store(local_slot(e.local), e.type, e.reg);
}

void FuncCompiler::evict_local(size_t i) {
  end_borrows(cache_[i].local);
  const CachedLocal& e = cache_[i];
  if (e.dirty) store_local(e);
  free_reg(e.cls(), e.reg);
  cache_.erase(cache_.begin() + std::ptrdiff_t(i));
}

void FuncCompiler::end_borrows(uint32_t local) {
  for (uint32_t h = 0; h < height(); ++h) {
    Operand& op = stack_[h];
    if (op.kind != Kind::Local || op.local != local) continue;
    RegClass c = reg_class(op.type);
    if (has_free_reg(c)) {
      Reg r = alloc_reg(c);
      move(op.type, r, op.reg);
      op.reg = r;
      op.kind = Kind::Reg;
    } else {
      store(slot_at(h), op.type, op.reg);
      op.kind = Kind::Slot;
    }
  }
}

void FuncCompiler::write_back_locals() {
  for (CachedLocal& e : cache_) {
    if (!e.dirty) continue;
    store_local(e);
    e.dirty = false;
  }
}

void FuncCompiler::forget_locals() {
  for (const CachedLocal& e : cache_) free_reg(e.cls(), e.reg);
  cache_.clear();
}

void FuncCompiler::adopt_locals(const std::vector<CachedLocal>& cache) {
  forget_locals();
  cache_ = cache;
  for (const CachedLocal& e : cache_) used_regs_[size_t(e.cls())] |= 1u << e.reg;
}

bool FuncCompiler::cached_in(uint32_t local, Reg r) const {
  auto here = std::ranges::find(cache_, local, &CachedLocal::local);
  return here != cache_.end() && here->reg == r;
}

void FuncCompiler::local_get(uint32_t local, ValType t) {
  RegClass c = reg_class(t);
  if (CachedLocal* e = cached(local)) {
    e->last_use = ++use_clock_;
    push(local_operand(t, e->reg, local));
    return;
  }
  Reg r = alloc_reg(c);
  load(t, r, local_slot(local));
  // Inside loops, where locals are read again, keep a copy while a register is free; only of
  // floats and v128s: general-purpose registers are too few to spare (measured: it cost more
  // than it saved).
  if (cache_locals_ && c == RegClass::Fp && loop_depth_ != 0 && has_free_reg(c)) {
    Reg k = alloc_reg(c);
    move(t, k, r);
    cache_local(local, t, k, false);
  }
  push_reg(t, r);
}

void FuncCompiler::local_set(uint32_t local, bool tee) {
  Operand op = pop();
  RegClass c = reg_class(op.type);
  // Setting a local to its own value changes no register.
  if (!(op.kind == Kind::Local && op.local == local)) end_borrows(local);
  CachedLocal* e = cached(local);
  if (!e && cache_locals_ && op.kind == Kind::Reg) {
    cache_local(local, op.type, op.reg, true);  // the register becomes the local's
    if (tee) push(local_operand(op.type, op.reg, local));
    return;
  }
  if (!e && cache_locals_ && has_free_reg(c)) {
    cache_local(local, op.type, alloc_reg(c), true);
    e = &cache_.back();
  }
  if (e) {
    // Kept in the same register, so that a loop head finds it where it expects it.
    e->dirty = true;
    e->last_use = ++use_clock_;
    switch (op.kind) {
      case Kind::Reg:
      case Kind::Local:
        if (e->reg != op.reg) move(op.type, e->reg, op.reg);
        break;
      case Kind::Const:
        c == RegClass::Fp ? masm_.mov_imm_fp(e->reg, op.bits) : masm_.mov_imm(e->reg, op.bits);
        break;
      default:
        load(op.type, e->reg, slot_at(height()));
        break;
    }
  } else if (op.kind == Kind::Slot) {
    copy_value(op.type, local_slot(local), slot_at(height()));
  } else {
    store_operand(local_slot(local), op);
  }
  if (tee) {
    push(op);
  } else {
    free_operand(op);
  }
}

void FuncCompiler::push_compare(Cond c, Width w, const Operand& lhs, const Operand& rhs,
                                uint32_t lhs_height) {
  Operand cmp{ValType::I32, Kind::Compare, read_reg(lhs, lhs_height), 0};
  cmp.lhs_borrowed = lhs.kind == Kind::Local;
  cmp.cond = c;
  cmp.width = w;
  if (rhs.kind == Kind::Const && masm_.encodes_imm(c, w, as_imm(rhs.bits, w))) {
    cmp.bits = uint64_t(as_imm(rhs.bits, w));
  } else {
    cmp.rhs_in_reg = true;
    cmp.rhs = read_reg(rhs, lhs_height + 1);
    cmp.rhs_borrowed = rhs.kind == Kind::Local;
  }
  push(cmp);
}

void FuncCompiler::materialize_compare() {
  Operand cmp = pop();
  push_reg(ValType::I32, to_reg(cmp, height()));
}

void FuncCompiler::branch_on(const Operand& cond, bool if_zero, Label target) {
  if (cond.kind == Kind::Compare) {
    Cond c = if_zero ? negate(cond.cond) : cond.cond;
    if (cond.rhs_in_reg) {
      masm_.branch_if(c, cond.width, cond.reg, cond.rhs, target);
    } else {
      masm_.branch_if_imm(c, cond.width, cond.reg, int64_t(cond.bits), target);
    }
  } else if (if_zero) {
    masm_.branch_if_zero(cond.reg, target);
  } else {
    masm_.branch_if_nonzero(cond.reg, target);
  }
  free_operand(cond);
}

void FuncCompiler::store_operand(Slot dst, const Operand& op) {
  switch (op.kind) {
    case Kind::Const:
      masm_.store_slot_imm(dst, op.bits);
      break;
    case Kind::Reg:
    case Kind::Local:
      store(dst, op.type, op.reg);
      break;
    case Kind::Slot:
    case Kind::Compare:  // never below the top, and br_if and if pop it before flushing
      break;             // callers handle slot-to-slot moves
  }
}

void FuncCompiler::flush_all() {
  for (uint32_t h = 0; h < height(); ++h) {
    Operand& op = stack_[h];
    if (op.kind == Kind::Slot) continue;
    store_operand(slot_at(h), op);
    free_operand(op);
    op.kind = Kind::Slot;
  }
}

std::vector<Slot> FuncCompiler::gc_slots(uint32_t live_height) const {
  std::vector<Slot> slots = gc_local_slots_;
  for (uint32_t h = 0; h < live_height; ++h) {
    if (rt::may_hold_gc_object(stack_[h].type)) slots.push_back(slot_at(h));
  }
  // Spare slots hold no reference across a call: an if's params wait in them only from the if
  // to its else arm's start, and a legacy try's caught exception is not a GC object.
  return slots;
}

void FuncCompiler::truncate(uint32_t new_height) {
  while (height() > new_height) free_operand(pop());
}
}  // namespace tern::jit
