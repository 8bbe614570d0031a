#include "jit/common/func_compiler.h"

#include <algorithm>
#include <string>

#include "jit/common/helpers.h"
#include "jit/common/runtime_layout.h"

namespace tern::jit {

namespace {

constexpr uint64_t kMaxFrameSlots = uint64_t(1) << 24;
// Registers of each class a loop head leaves free of cached locals: enough for any instruction.
constexpr uint32_t kRegsForOperands = 3;

bool fits_i32(int64_t v) {
  return v >= INT32_MIN && v <= INT32_MAX;
}

struct InlineAlu {
  AluOp op;
  Width w;
};
// clang-format off
std::optional<InlineAlu> inline_alu(Opcode op) {
  switch (op) {
#define TERN_ALU(name)                                                 \
  case Opcode::I32##name: return InlineAlu{AluOp::name, Width::W32}; \
  case Opcode::I64##name: return InlineAlu{AluOp::name, Width::W64};
    TERN_ALU(Add) TERN_ALU(Sub) TERN_ALU(Mul) TERN_ALU(And) TERN_ALU(Or) TERN_ALU(Xor)
    TERN_ALU(Shl) TERN_ALU(ShrS) TERN_ALU(ShrU) TERN_ALU(Rotl) TERN_ALU(Rotr)
#undef TERN_ALU
    default: return std::nullopt;
  }
}
// clang-format on

struct InlineCompare {
  Cond c;
  Width w;
};
// clang-format off
std::optional<InlineCompare> inline_compare(Opcode op) {
  switch (op) {
#define INT_COMPARE(cond, negated, op, T32, T64)                        \
  case Opcode::I32##cond: return InlineCompare{Cond::cond, Width::W32}; \
  case Opcode::I64##cond: return InlineCompare{Cond::cond, Width::W64};
#include "engine/compare_ops.def"
    default: return std::nullopt;
  }
}
// clang-format on

struct InlineDiv {
  DivOp op;
  Width w;
};
// clang-format off
std::optional<InlineDiv> inline_div(Opcode op) {
  switch (op) {
#define TERN_DIV(name)                                                 \
  case Opcode::I32##name: return InlineDiv{DivOp::name, Width::W32}; \
  case Opcode::I64##name: return InlineDiv{DivOp::name, Width::W64};
    TERN_DIV(DivS) TERN_DIV(DivU) TERN_DIV(RemS) TERN_DIV(RemU)
#undef TERN_DIV
    default: return std::nullopt;
  }
}

struct InlineBitCount {
  BitCount op;
  Width w;
};
std::optional<InlineBitCount> inline_bit_count(Opcode op) {
  switch (op) {
#define TERN_COUNT(name)                                                      \
  case Opcode::I32##name: return InlineBitCount{BitCount::name, Width::W32}; \
  case Opcode::I64##name: return InlineBitCount{BitCount::name, Width::W64};
    TERN_COUNT(Clz) TERN_COUNT(Ctz) TERN_COUNT(Popcnt)
#undef TERN_COUNT
    default: return std::nullopt;
  }
}

struct InlineFp {
  FpOp op;
  Width w;
};
std::optional<InlineFp> inline_fp(Opcode op) {
  switch (op) {
#define TERN_FP(name)                                              \
  case Opcode::F32##name: return InlineFp{FpOp::name, Width::W32}; \
  case Opcode::F64##name: return InlineFp{FpOp::name, Width::W64};
    TERN_FP(Add) TERN_FP(Sub) TERN_FP(Mul) TERN_FP(Div) TERN_FP(Min) TERN_FP(Max)
    TERN_FP(Copysign)
#undef TERN_FP
    default: return std::nullopt;
  }
}

struct InlineFpUnary {
  FpUnaryOp op;
  Width w;
};
std::optional<InlineFpUnary> inline_fp_unary(Opcode op) {
  switch (op) {
#define TERN_FP_UNARY(name)                                                   \
  case Opcode::F32##name: return InlineFpUnary{FpUnaryOp::name, Width::W32}; \
  case Opcode::F64##name: return InlineFpUnary{FpUnaryOp::name, Width::W64};
    TERN_FP_UNARY(Abs) TERN_FP_UNARY(Neg) TERN_FP_UNARY(Sqrt) TERN_FP_UNARY(Ceil)
    TERN_FP_UNARY(Floor) TERN_FP_UNARY(Trunc) TERN_FP_UNARY(Nearest)
#undef TERN_FP_UNARY
    default: return std::nullopt;
  }
}

struct InlineFpCompare {
  FpCond c;
  Width w;
};
std::optional<InlineFpCompare> inline_fp_compare(Opcode op) {
  switch (op) {
#define TERN_FP_CMP(name)                                                    \
  case Opcode::F32##name: return InlineFpCompare{FpCond::name, Width::W32}; \
  case Opcode::F64##name: return InlineFpCompare{FpCond::name, Width::W64};
    TERN_FP_CMP(Eq) TERN_FP_CMP(Ne) TERN_FP_CMP(Lt) TERN_FP_CMP(Gt) TERN_FP_CMP(Le)
    TERN_FP_CMP(Ge)
#undef TERN_FP_CMP
    default: return std::nullopt;
  }
}

// Conversions between integers and floats, by opcode.
enum class ConvKind : uint8_t { IntToFp, Trunc, TruncSat };
struct InlineConversion {
  ConvKind kind;
  IntFp c;
};
std::optional<InlineConversion> inline_conversion_of(Opcode op) {
  switch (op) {
#define TERN_CONV(kind, op_name, iw, fw, sign) \
  case Opcode::op_name: return InlineConversion{ConvKind::kind, IntFp{Width::W##iw, Width::W##fw, sign}};
#define TERN_CONV_SU(kind, prefix, iw, fw)      \
  TERN_CONV(kind, prefix##S, iw, fw, true)      \
  TERN_CONV(kind, prefix##U, iw, fw, false)
    TERN_CONV_SU(IntToFp, F32ConvertI32, 32, 32) TERN_CONV_SU(IntToFp, F32ConvertI64, 64, 32)
    TERN_CONV_SU(IntToFp, F64ConvertI32, 32, 64) TERN_CONV_SU(IntToFp, F64ConvertI64, 64, 64)
    TERN_CONV_SU(Trunc, I32TruncF32, 32, 32) TERN_CONV_SU(Trunc, I32TruncF64, 32, 64)
    TERN_CONV_SU(Trunc, I64TruncF32, 64, 32) TERN_CONV_SU(Trunc, I64TruncF64, 64, 64)
    TERN_CONV_SU(TruncSat, I32TruncSatF32, 32, 32) TERN_CONV_SU(TruncSat, I32TruncSatF64, 32, 64)
    TERN_CONV_SU(TruncSat, I64TruncSatF32, 64, 32) TERN_CONV_SU(TruncSat, I64TruncSatF64, 64, 64)
#undef TERN_CONV_SU
#undef TERN_CONV
    default: return std::nullopt;
  }
}
// clang-format on

std::optional<MemAccess> mem_access(Opcode op) {
  switch (op) {
    case Opcode::I32Load:
    case Opcode::F32Load:
    case Opcode::I32Store:
    case Opcode::F32Store:
      return MemAccess{4, false, Width::W32};
    case Opcode::I64Load:
    case Opcode::F64Load:
    case Opcode::I64Store:
    case Opcode::F64Store:
      return MemAccess{8, false, Width::W64};
    case Opcode::I32Load8S:
      return MemAccess{1, true, Width::W32};
    case Opcode::I32Load8U:
    case Opcode::I32Store8:
      return MemAccess{1, false, Width::W32};
    case Opcode::I32Load16S:
      return MemAccess{2, true, Width::W32};
    case Opcode::I32Load16U:
    case Opcode::I32Store16:
      return MemAccess{2, false, Width::W32};
    case Opcode::I64Load8S:
      return MemAccess{1, true, Width::W64};
    case Opcode::I64Load8U:
    case Opcode::I64Store8:
      return MemAccess{1, false, Width::W64};
    case Opcode::I64Load16S:
      return MemAccess{2, true, Width::W64};
    case Opcode::I64Load16U:
    case Opcode::I64Store16:
      return MemAccess{2, false, Width::W64};
    case Opcode::I64Load32S:
      return MemAccess{4, true, Width::W64};
    case Opcode::I64Load32U:
    case Opcode::I64Store32:
      return MemAccess{4, false, Width::W64};
    default:
      return std::nullopt;
  }
}

bool is_store(Opcode op) {
  return info(op).sig.size() == 3 && info(op).sig[2] == '_';
}

uint64_t pack(uint32_t lo, uint32_t hi) {
  return lo | uint64_t(hi) << 32;
}

}  // namespace

FuncCompiler::FuncCompiler(MacroAssembler& masm, const rt::CompiledModule& module,
                           std::span<const Label> func_labels, uint32_t first_labelled,
                           const std::atomic<const void*>* entries,
                           std::deque<uint64_t>& fuel_cells, const Config& config)
    : masm_(masm),
      module_(module),
      func_labels_(func_labels),
      first_labelled_(first_labelled),
      entries_(entries),
      fuel_cells_(fuel_cells),
      config_(config) {}

// ---- Value stack ---------------------------------------------------------------------------

void FuncCompiler::push(Operand op) {
  stack_.push_back(op);
  max_height_ = std::max(max_height_, height());
}

FuncCompiler::Operand FuncCompiler::pop() {
  Operand op = stack_.back();
  stack_.pop_back();
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
      if (it->cls != c) continue;
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
    if (op.rhs_in_reg) {
      masm_.compare(op.cond, op.width, op.reg, op.reg, op.rhs);
      free_reg(RegClass::Gp, op.rhs);
    } else {
      masm_.compare_imm(op.cond, op.width, op.reg, op.reg, int32_t(op.bits));
    }
    return op.reg;
  }
  RegClass c = reg_class(op.type);
  Reg r = alloc_reg(c);
  if (op.kind == Kind::Const) {
    c == RegClass::Fp ? masm_.mov_imm_fp(r, op.bits) : masm_.mov_imm(r, op.bits);
  } else {
    load(c, r, slot_at(at_height));
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
  return Operand{ValType::I32, Kind::Reg, to_reg(op, height()), 0};
}

void FuncCompiler::load(RegClass c, Reg dst, Slot src) {
  c == RegClass::Fp ? masm_.load_slot_fp(dst, src) : masm_.load_slot(dst, src);
}

void FuncCompiler::store(Slot dst, RegClass c, Reg src) {
  c == RegClass::Fp ? masm_.store_slot_fp(dst, src) : masm_.store_slot(dst, src);
}

void FuncCompiler::move(RegClass c, Reg dst, Reg src) {
  c == RegClass::Fp ? masm_.mov_fp(dst, src) : masm_.mov(dst, src);
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

void FuncCompiler::cache_local(uint32_t local, RegClass c, Reg r, bool dirty) {
  cache_.push_back({local, r, c, dirty, ++use_clock_});
}

void FuncCompiler::store_local(const CachedLocal& e) {
  store(local_slot(e.local), e.cls, e.reg);
}

void FuncCompiler::evict_local(size_t i) {
  const CachedLocal& e = cache_[i];
  if (e.dirty) store_local(e);
  free_reg(e.cls, e.reg);
  cache_.erase(cache_.begin() + std::ptrdiff_t(i));
}

void FuncCompiler::write_back_locals() {
  for (CachedLocal& e : cache_) {
    if (!e.dirty) continue;
    store_local(e);
    e.dirty = false;
  }
}

void FuncCompiler::forget_locals() {
  for (const CachedLocal& e : cache_) free_reg(e.cls, e.reg);
  cache_.clear();
}

void FuncCompiler::adopt_locals(const std::vector<CachedLocal>& cache) {
  forget_locals();
  cache_ = cache;
  for (const CachedLocal& e : cache_) used_regs_[size_t(e.cls)] |= 1u << e.reg;
}

bool FuncCompiler::cached_in(uint32_t local, Reg r) const {
  auto here = std::ranges::find(cache_, local, &CachedLocal::local);
  return here != cache_.end() && here->reg == r;
}

void FuncCompiler::local_get(uint32_t local, ValType t) {
  RegClass c = reg_class(t);
  if (CachedLocal* e = cached(local)) {
    e->last_use = ++use_clock_;
    Reg from = e->reg;
    // alloc_reg may evict this very entry, but it only stores: `from` still holds the value.
    Reg r = alloc_reg(c);
    if (r != from) move(c, r, from);
    push_reg(t, r);
    return;
  }
  Reg r = alloc_reg(c);
  load(c, r, local_slot(local));
  // Inside loops, where locals are read again, keep a copy while a register is free; only of
  // floats: general-purpose registers are too few to spare (measured: it cost more than it
  // saved).
  if (cache_locals_ && c == RegClass::Fp && loop_depth_ != 0 && has_free_reg(c)) {
    Reg k = alloc_reg(c);
    masm_.mov_fp(k, r);
    cache_local(local, c, k, false);
  }
  push_reg(t, r);
}

void FuncCompiler::local_set(uint32_t local, bool tee) {
  Operand op = pop();
  RegClass c = reg_class(op.type);
  CachedLocal* e = cached(local);
  if (!e && cache_locals_ && op.kind == Kind::Reg && !tee) {
    cache_local(local, c, op.reg, true);  // the register becomes the local's
    return;
  }
  if (!e && cache_locals_ && has_free_reg(c)) {
    cache_local(local, c, alloc_reg(c), true);
    e = &cache_.back();
  }
  if (e) {
    // Kept in the same register, so that a loop head finds it where it expects it.
    e->dirty = true;
    e->last_use = ++use_clock_;
    switch (op.kind) {
      case Kind::Reg:
        move(c, e->reg, op.reg);
        break;
      case Kind::Const:
        c == RegClass::Fp ? masm_.mov_imm_fp(e->reg, op.bits) : masm_.mov_imm(e->reg, op.bits);
        break;
      default:
        load(c, e->reg, slot_at(height()));
        break;
    }
  } else if (op.kind == Kind::Slot) {
    masm_.copy_slot(local_slot(local), slot_at(height()));
  } else {
    store_operand(local_slot(local), op);
  }
  if (tee) {
    push(op);
  } else {
    free_operand(op);
  }
}

void FuncCompiler::push_compare(Cond c, Width w, Reg lhs, const Operand& rhs, uint32_t rhs_height) {
  Operand cmp{ValType::I32, Kind::Compare, lhs, 0};
  cmp.cond = c;
  cmp.width = w;
  if (rhs.kind == Kind::Const && (w == Width::W32 || fits_i32(int64_t(rhs.bits)))) {
    cmp.bits = uint64_t(int64_t(int32_t(rhs.bits)));
  } else {
    cmp.rhs_in_reg = true;
    cmp.rhs = to_reg(rhs, rhs_height);
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
      masm_.branch_if_imm(c, cond.width, cond.reg, int32_t(cond.bits), target);
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
      store(dst, reg_class(op.type), op.reg);
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

void FuncCompiler::truncate(uint32_t new_height) {
  while (height() > new_height) free_operand(pop());
}

// ---- Entry and exit ------------------------------------------------------------------------

void FuncCompiler::begin(const ModuleInfo& module, uint32_t func_index, const FuncType& type,
                         std::span<const ValType> locals) {
  func_index_ = func_index;
  num_locals_ = uint32_t(locals.size());
  cache_locals_ = !config_.consume_fuel;
  results_ = type.results;
  for (ValType t : locals) {
    if (t == ValType::V128) error_ = Error::invalid("jit: v128 locals are not supported");
  }
  for (ValType t : type.results) {
    if (t == ValType::V128) error_ = Error::invalid("jit: v128 results are not supported");
  }
  if (error_) return;
  exit_label_ = masm_.new_label();
  stack_exhausted_ = masm_.new_label();
  uint32_t defined = func_index - module.num_imported_funcs;
  masm_.comment("; func " + std::to_string(func_index));
  Label entry = func_labels_.empty() ? masm_.new_label() : func_labels_[defined - first_labelled_];
  masm_.begin_function(entry, uint32_t(type.params.size()), num_locals_, stack_exhausted_);
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
  masm_.return_from_function(slot_at(0), uint32_t(results_.size()));
  for (const GenericCall& g : generic_calls_) {
    masm_.bind(g.at);
    masm_.call_helper(helpers::call_indirect, g.values, g.imm);
    if (!pending_label_) pending_label_ = masm_.new_label();
    masm_.branch_if_trap_pending(*pending_label_);
    masm_.jump(g.resume);
  }
  for (const auto& [at, plan] : branch_stubs_) {
    masm_.bind(at);
    emit_branch(plan);
  }
  masm_.bind(stack_exhausted_);
  masm_.raise_trap(TrapCode::CallStackExhausted);
  for (auto& [code, label] : trap_labels_) {
    masm_.bind(label);
    masm_.raise_trap(code);
  }
  if (pending_label_) {
    masm_.bind(*pending_label_);
    masm_.raise_pending_trap();
  }
  uint64_t slots = uint64_t(num_locals_) + std::max<uint64_t>(max_height_, results_.size());
  // Displacements are 32-bit; a frame this large could never fit on a native stack anyway.
  if (slots + spares_ > kMaxFrameSlots) {
    return Error{ErrorKind::Limit,
                 "implementation limit: the function's frame needs " +
                     std::to_string(slots + spares_) + " slots, the jit allows " +
                     std::to_string(kMaxFrameSlots),
                 {},
                 {}};
  }
  masm_.finish_frame(uint32_t(slots), spares_);
  return std::nullopt;
}

void FuncCompiler::fail(const Instr& in, const char* why) {
  if (!error_) {
    error_ = Error::invalid(std::string("jit: ") + why + " '" + std::string(name_of(in.op)) + "'",
                            in.offset);
  }
}

Label FuncCompiler::trap_label(TrapCode code) {
  for (auto& [c, label] : trap_labels_) {
    if (c == code) return label;
  }
  trap_labels_.emplace_back(code, masm_.new_label());
  return trap_labels_.back().second;
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
  masm_.call_helper(helpers::consume_fuel, slot_at(height()), uint64_t(uintptr_t(fuel_cell_)));
  if (!pending_label_) pending_label_ = masm_.new_label();
  masm_.branch_if_trap_pending(*pending_label_);
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
    // The head keeps the most recently used cached locals, leaving registers for operands.
    for (RegClass cls : {RegClass::Gp, RegClass::Fp}) {
      auto of_class = [cls](const CachedLocal& e) { return e.cls == cls; };
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
    spares_ += uint32_t(c.params.size());
    for (uint32_t i = 0; i < c.params.size(); ++i) {
      masm_.copy_slot(Slot{Slot::Kind::Spare, c.param_spares + i}, slot_at(c.height + i));
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
  for (uint32_t i = 0; i < c.params.size(); ++i) {
    masm_.copy_slot(slot_at(c.height + i), Slot{Slot::Kind::Spare, c.param_spares + i});
    push_slot(c.params[i]);
  }
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

FuncCompiler::BranchPlan FuncCompiler::plan_branch(uint32_t depth) {
  Ctrl& target = ctrls_[ctrls_.size() - 1 - depth];
  uint32_t n = uint32_t(target.label_types().size());
  BranchPlan plan = plan_transfer(target);
  // Ascending order never overwrites a source not yet read: target.height <= from.
  uint32_t from = height() - n;
  for (uint32_t i = 0; i < n && target.height != from; ++i) {
    plan.copies.emplace_back(slot_at(target.height + i), slot_at(from + i));
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
  for (const CachedLocal& h : plan.loads) load(h.cls, h.reg, local_slot(h.local));
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
  for (size_t i = 0; i < n; ++i)
    masm_.branch_if_equal(index, uint32_t(i), target_label(in.targets[i]));
  masm_.jump(target_label(in.targets[n]));
  free_reg(RegClass::Gp, index);
  for (const auto& [label, plan] : stubs) {
    masm_.bind(label);
    emit_branch(plan);
  }
}

// ---- Instructions --------------------------------------------------------------------------

void FuncCompiler::instr(const Instr& in, std::span<const ValType>, std::span<const ValType> pushed,
                         bool unreachable) {
  if (error_) return;
  // Only br_if, if and eqz take a pending comparison as it is.
  if (!stack_.empty() && stack_.back().kind == Kind::Compare && in.op != Opcode::BrIf &&
      in.op != Opcode::If && in.op != Opcode::I32Eqz) {
    materialize_compare();
  }
  bool dead = ctrls_.back().dead;
  if (fuel_cell_ && !dead && !unreachable) ++*fuel_cell_;
  switch (in.op) {
    case Opcode::Block:
    case Opcode::Loop:
    case Opcode::If:
      enter_block(in, dead || unreachable);
      return;
    case Opcode::Else:
      else_arm(unreachable, false);
      return;
    case Opcode::End:
      end_block(unreachable);
      return;
    default:
      break;
  }
  if (dead || unreachable) return;
  if (!compile(in, pushed)) fail(in, "unsupported instruction");
}

void FuncCompiler::call_helper(Helper fn, uint32_t operands, uint64_t imm, bool may_trap,
                               std::span<const ValType> results, bool result_in_register) {
  flush_all();
  before_call();
  uint32_t base = height() - operands;
  masm_.call_helper(fn, slot_at(base), imm);
  if (may_trap) {
    if (!pending_label_) pending_label_ = masm_.new_label();
    masm_.branch_if_trap_pending(*pending_label_);
  }
  truncate(base);
  if (result_in_register) {
    Reg r = alloc_reg(RegClass::Gp);
    masm_.move_helper_result(r);
    if (reg_class(results[0]) == RegClass::Fp) {
      Reg f = alloc_reg(RegClass::Fp);
      masm_.move_to_fp(f, r);
      free_reg(RegClass::Gp, r);
      r = f;
    }
    push_reg(results[0], r);
  } else {
    for (ValType t : results) push_slot(t);
  }
}

void FuncCompiler::call(const Instr& in) {
  const ModuleInfo& info = module_.info;
  uint32_t callee = in.index;
  const FuncType& type = in.op == Opcode::Call ? info.func_type(callee) : info.types[in.index];
  for (ValType t : type.params) {
    if (t == ValType::V128) return fail(in, "v128 arguments are not supported in");
  }
  for (ValType t : type.results) {
    if (t == ValType::V128) return fail(in, "v128 results are not supported in");
  }
  uint32_t n = uint32_t(type.params.size());
  if (in.op == Opcode::CallIndirect) {
    call_indirect(in, type);
  } else if (callee < info.num_imported_funcs) {
    call_helper(helpers::call_import, n, callee, true, type.results, false);
  } else {
    flush_all();
    before_call();
    uint32_t base = height() - n;
    uint32_t defined = callee - info.num_imported_funcs;
    if (defined >= first_labelled_ && defined - first_labelled_ < func_labels_.size()) {
      masm_.call_direct(func_labels_[defined - first_labelled_], slot_at(base));
    } else {
      masm_.call_entry(&entries_[defined], slot_at(base));
    }
    truncate(base);
    for (ValType t : type.results) push_slot(t);
  }
}

void FuncCompiler::call_indirect(const Instr& in, const FuncType& type) {
  uint32_t n = uint32_t(type.params.size());
  uint64_t imm = pack(module_.type_ids[in.index], in.index2);
  if (!runtime_layout().vectors_readable) {
    call_helper(helpers::call_indirect, n + 1, imm, true, type.results, false);
    return;
  }
  flush_all();
  before_call();
  uint32_t base = height() - n - 1;
  IndirectCall c;
  c.table = in.index2;
  c.type_id = module_.type_ids[in.index];
  c.values = slot_at(base);
  c.num_params = n;
  c.entries = entries_;
  c.num_imported_funcs = module_.info.num_imported_funcs;
  c.undefined_element = trap_label(TrapCode::UndefinedElement);
  c.uninitialized_element = trap_label(TrapCode::UninitializedElement);
  c.type_mismatch = trap_label(TrapCode::IndirectCallTypeMismatch);
  c.generic = masm_.new_label();
  masm_.call_indirect(c);
  Label resume = masm_.new_label();
  masm_.bind(resume);
  generic_calls_.push_back({c.generic, resume, c.values, imm});
  truncate(base);
  for (ValType t : type.results) push_slot(t);
}

void FuncCompiler::memory_access(const Instr& in) {
  MemAccess a = *mem_access(in.op);
  bool fp = in.op == Opcode::F32Load || in.op == Opcode::F64Load || in.op == Opcode::F32Store ||
            in.op == Opcode::F64Store;
  if (is_store(in.op)) {
    Reg value = pop_to_reg();
    Reg addr = pop_to_reg();
    if (fp) {
      masm_.store_fp(a.width, addr, in.mem.offset, value);
    } else {
      masm_.store(a, addr, in.mem.offset, value);
    }
    free_reg(fp ? RegClass::Fp : RegClass::Gp, value);
    free_reg(RegClass::Gp, addr);
  } else if (fp) {
    Reg addr = pop_to_reg();
    Reg dst = alloc_reg(RegClass::Fp);
    masm_.load_fp(a.width, dst, addr, in.mem.offset);
    free_reg(RegClass::Gp, addr);
    push_reg(a.width == Width::W32 ? ValType::F32 : ValType::F64, dst);
  } else {
    Reg addr = pop_to_reg();
    masm_.load(a, addr, addr, in.mem.offset);
    push_reg(a.width == Width::W32 ? ValType::I32 : ValType::I64, addr);
  }
}

bool FuncCompiler::inline_numeric(const Instr& in) {
  return inline_int_numeric(in) || inline_float_numeric(in) || inline_conversion(in);
}

bool FuncCompiler::inline_int_numeric(const Instr& in) {
  if (auto alu = inline_alu(in.op)) {
    Operand rhs = pop();
    ValType t = stack_.back().type;
    Reg lhs = pop_to_reg();
    // Shift and rotate counts are taken modulo the width, so every constant folds there too.
    if (rhs.kind == Kind::Const && (alu->w == Width::W32 || fits_i32(int64_t(rhs.bits)))) {
      masm_.alu_imm(alu->op, alu->w, lhs, int32_t(rhs.bits));
    } else {
      Reg r = to_reg(rhs, height() + 1);
      masm_.alu(alu->op, alu->w, lhs, r);
      free_reg(RegClass::Gp, r);
    }
    push_reg(t, lhs);
    return true;
  }
  if (auto cmp = inline_compare(in.op)) {
    Operand rhs = pop();
    Reg lhs = pop_to_reg();
    push_compare(cmp->c, cmp->w, lhs, rhs, height() + 1);
    return true;
  }
  if (auto div = inline_div(in.op)) {
    ValType t = stack_.back().type;
    Reg rhs = pop_to_reg();
    Reg lhs = pop_to_reg();
    masm_.divide(div->op, div->w, lhs, rhs, trap_label(TrapCode::IntegerDivideByZero),
                 trap_label(TrapCode::IntegerOverflow));
    free_reg(RegClass::Gp, rhs);
    push_reg(t, lhs);
    return true;
  }
  if (auto count = inline_bit_count(in.op)) {
    if (count->op == BitCount::Popcnt && !masm_.can_count_ones()) return false;
    ValType t = stack_.back().type;
    Reg r = pop_to_reg();
    masm_.count_bits(count->op, count->w, r);
    push_reg(t, r);
    return true;
  }
  switch (in.op) {
    case Opcode::I32Eqz:
    case Opcode::I64Eqz:
    case Opcode::RefIsNull: {
      Operand v = pop();
      if (v.kind == Kind::Compare) {
        v.cond = negate(v.cond);
        push(v);
      } else {
        Reg r = to_reg(v, height());
        push_compare(Cond::Eq, in.op == Opcode::I32Eqz ? Width::W32 : Width::W64, r,
                     Operand{ValType::I32, Kind::Const, 0, 0}, height());
      }
      return true;
    }
    case Opcode::I32WrapI64:
    case Opcode::I64ExtendI32U: {
      Reg r = pop_to_reg();
      masm_.zero_extend_32(r);
      push_reg(in.op == Opcode::I32WrapI64 ? ValType::I32 : ValType::I64, r);
      return true;
    }
    case Opcode::I32Extend8S:
    case Opcode::I32Extend16S:
    case Opcode::I64Extend8S:
    case Opcode::I64Extend16S:
    case Opcode::I64Extend32S:
    case Opcode::I64ExtendI32S: {
      uint8_t bytes = in.op == Opcode::I32Extend8S || in.op == Opcode::I64Extend8S     ? 1
                      : in.op == Opcode::I32Extend16S || in.op == Opcode::I64Extend16S ? 2
                                                                                       : 4;
      bool is_i32 = in.op == Opcode::I32Extend8S || in.op == Opcode::I32Extend16S;
      Reg r = pop_to_reg();
      masm_.sign_extend(bytes, is_i32 ? Width::W32 : Width::W64, r);
      push_reg(is_i32 ? ValType::I32 : ValType::I64, r);
      return true;
    }
    default:
      return false;
  }
}

bool FuncCompiler::inline_float_numeric(const Instr& in) {
  if (auto fp = inline_fp(in.op)) {
    ValType t = stack_.back().type;
    Reg rhs = pop_to_reg();
    Reg lhs = pop_to_reg();
    masm_.fp_binary(fp->op, fp->w, lhs, rhs);
    free_reg(RegClass::Fp, rhs);
    push_reg(t, lhs);
    return true;
  }
  if (auto unary = inline_fp_unary(in.op)) {
    bool rounding =
        unary->op != FpUnaryOp::Abs && unary->op != FpUnaryOp::Neg && unary->op != FpUnaryOp::Sqrt;
    if (rounding && !masm_.can_round_fp()) return false;
    ValType t = stack_.back().type;
    Reg r = pop_to_reg();
    masm_.fp_unary(unary->op, unary->w, r);
    push_reg(t, r);
    return true;
  }
  if (auto cmp = inline_fp_compare(in.op)) {
    Reg rhs = pop_to_reg();
    Reg lhs = pop_to_reg();
    Reg dst = alloc_reg(RegClass::Gp);
    masm_.fp_compare(cmp->c, cmp->w, dst, lhs, rhs);
    free_reg(RegClass::Fp, rhs);
    free_reg(RegClass::Fp, lhs);
    push_reg(ValType::I32, dst);
    return true;
  }
  if (in.op == Opcode::F32DemoteF64 || in.op == Opcode::F64PromoteF32) {
    bool demote = in.op == Opcode::F32DemoteF64;
    Reg r = pop_to_reg();
    masm_.convert_fp(demote ? Width::W32 : Width::W64, r);
    push_reg(demote ? ValType::F32 : ValType::F64, r);
    return true;
  }
  return false;
}

bool FuncCompiler::inline_conversion(const Instr& in) {
  if (auto conv = inline_conversion_of(in.op)) {
    Reg src = pop_to_reg();
    if (conv->kind == ConvKind::IntToFp) {
      Reg dst = alloc_reg(RegClass::Fp);
      masm_.convert_int_to_fp(conv->c, dst, src);
      free_reg(RegClass::Gp, src);
      push_reg(conv->c.fp_width == Width::W32 ? ValType::F32 : ValType::F64, dst);
    } else {
      Reg dst = alloc_reg(RegClass::Gp);
      if (conv->kind == ConvKind::Trunc) {
        masm_.truncate_fp_to_int(conv->c, dst, src,
                                 trap_label(TrapCode::InvalidConversionToInteger),
                                 trap_label(TrapCode::IntegerOverflow));
      } else {
        masm_.truncate_fp_to_int_sat(conv->c, dst, src);
      }
      free_reg(RegClass::Fp, src);
      push_reg(conv->c.int_width == Width::W32 ? ValType::I32 : ValType::I64, dst);
    }
    return true;
  }
  switch (in.op) {
    case Opcode::I32ReinterpretF32:
    case Opcode::F32ReinterpretI32:
    case Opcode::I64ReinterpretF64:
    case Opcode::F64ReinterpretI64: {
      // Same bits, new type: a constant or a slot just changes type; a register changes class.
      static constexpr ValType kTo[] = {ValType::I32, ValType::F32, ValType::I64, ValType::F64};
      size_t k = in.op == Opcode::I32ReinterpretF32   ? 0
                 : in.op == Opcode::F32ReinterpretI32 ? 1
                 : in.op == Opcode::I64ReinterpretF64 ? 2
                                                      : 3;
      Operand op = pop();
      if (op.kind == Kind::Reg) {
        RegClass from = reg_class(op.type), to = reg_class(kTo[k]);
        Reg r = alloc_reg(to);
        if (to == RegClass::Fp) {
          masm_.move_to_fp(r, op.reg);
        } else {
          masm_.move_from_fp(r, op.reg);
        }
        free_reg(from, op.reg);
        op.reg = r;
      }
      op.type = kTo[k];
      push(op);
      return true;
    }
    default:
      return false;
  }
}

bool FuncCompiler::compile(const Instr& in, std::span<const ValType> pushed) {
  if (inline_numeric(in)) return true;
  if (mem_access(in.op)) {
    memory_access(in);
    return true;
  }
  if (auto h = numeric_helper(in.op)) {
    call_helper(h->fn, h->arity, 0, h->may_trap, pushed, true);
    return true;
  }
  switch (in.op) {
    case Opcode::Unreachable:
      masm_.jump(trap_label(TrapCode::Unreachable));
      return true;
    case Opcode::Nop:
      return true;
    case Opcode::Br:
      branch_to(in.index);
      return true;
    case Opcode::BrIf: {
      Operand cond = pop_condition();
      flush_all();
      Ctrl& target = ctrls_[ctrls_.size() - 1 - in.index];
      target.targeted = true;
      BranchPlan plan = plan_branch(in.index);
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
      begin_fuel_block();
      return true;
    }
    case Opcode::BrTable:
      br_table(in);
      return true;
    case Opcode::Return:
      branch_to(uint32_t(ctrls_.size() - 1));
      return true;
    case Opcode::Call:
    case Opcode::CallIndirect:
      call(in);
      return true;
    case Opcode::Drop:
      free_operand(pop());
      return true;
    case Opcode::Select:
    case Opcode::SelectT: {
      if (pushed[0] == ValType::V128) return false;
      Reg cond = pop_to_reg();
      Reg other = pop_to_reg();
      Reg dst = pop_to_reg();
      RegClass c = reg_class(pushed[0]);
      if (c == RegClass::Fp) {
        masm_.select_fp(dst, other, cond);
      } else {
        masm_.select(dst, other, cond);
      }
      free_reg(RegClass::Gp, cond);
      free_reg(c, other);
      push_reg(pushed[0], dst);
      return true;
    }
    case Opcode::LocalGet:
      local_get(in.index, pushed[0]);
      return true;
    case Opcode::LocalSet:
    case Opcode::LocalTee:
      local_set(in.index, in.op == Opcode::LocalTee);
      return true;
    case Opcode::GlobalGet: {
      if (module_.info.globals[in.index].type == ValType::V128) return false;
      Reg r = alloc_reg(reg_class(pushed[0]));
      if (reg_class(pushed[0]) == RegClass::Fp) {
        masm_.load_global_fp(r, in.index);
      } else {
        masm_.load_global(r, in.index);
      }
      push_reg(pushed[0], r);
      return true;
    }
    case Opcode::GlobalSet: {
      if (module_.info.globals[in.index].type == ValType::V128) return false;
      RegClass c = reg_class(stack_.back().type);
      Reg r = pop_to_reg();
      if (c == RegClass::Fp) {
        masm_.store_global_fp(in.index, r);
      } else {
        masm_.store_global(in.index, r);
      }
      free_reg(c, r);
      return true;
    }
    case Opcode::I32Const:
    case Opcode::I64Const:
    case Opcode::F32Const:
    case Opcode::F64Const: {
      uint64_t bits = in.bits;
      if (in.op == Opcode::I32Const || in.op == Opcode::F32Const) bits = uint32_t(bits);
      push({pushed[0], Kind::Const, 0, bits});
      return true;
    }
    case Opcode::RefNull:
      push({pushed[0], Kind::Const, 0, 0});
      return true;
    case Opcode::RefFunc:
      call_helper(helpers::ref_func, 0, in.index, false, pushed, true);
      return true;
    case Opcode::MemorySize:
      call_helper(helpers::memory_size, 0, 0, false, pushed, true);
      return true;
    case Opcode::MemoryGrow:
      call_helper(helpers::memory_grow, 1, 0, false, pushed, true);
      return true;
    case Opcode::MemoryInit:
      call_helper(helpers::memory_init, 3, pack(in.index, in.index2), true, pushed, false);
      return true;
    case Opcode::MemoryCopy:
      call_helper(helpers::memory_copy, 3, pack(in.index, in.index2), true, pushed, false);
      return true;
    case Opcode::MemoryFill:
      call_helper(helpers::memory_fill, 3, in.index, true, pushed, false);
      return true;
    case Opcode::DataDrop:
      call_helper(helpers::data_drop, 0, in.index, false, pushed, false);
      return true;
    case Opcode::TableGet:
      call_helper(helpers::table_get, 1, in.index, true, pushed, true);
      return true;
    case Opcode::TableSet:
      call_helper(helpers::table_set, 2, in.index, true, pushed, false);
      return true;
    case Opcode::TableSize:
      call_helper(helpers::table_size, 0, in.index, false, pushed, true);
      return true;
    case Opcode::TableGrow:
      call_helper(helpers::table_grow, 2, in.index, false, pushed, true);
      return true;
    case Opcode::TableFill:
      call_helper(helpers::table_fill, 3, in.index, true, pushed, false);
      return true;
    case Opcode::TableCopy:
      call_helper(helpers::table_copy, 3, pack(in.index, in.index2), true, pushed, false);
      return true;
    case Opcode::TableInit:
      call_helper(helpers::table_init, 3, pack(in.index, in.index2), true, pushed, false);
      return true;
    case Opcode::ElemDrop:
      call_helper(helpers::elem_drop, 0, in.index, false, pushed, false);
      return true;
    default:
      return false;
  }
}

}  // namespace tern::jit
