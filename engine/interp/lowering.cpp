// Lowering of validated function bodies to threaded code (see lowering.h and code.h): the
// emission primitives, the operand-stack model and the consumer interface. The instruction
// families are lowered in lower_*.cpp.
#include "engine/interp/lowering.h"

#include <algorithm>
#include <array>
#include <string>

#include "engine/interp/emit.h"
#include "engine/interp/interpreter.h"
#include "engine/interp/machine.h"
#include "engine/runtime/gc_collector.h"
#include "engine/validator/parallel_validation.h"
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
#define BINARY(id, T, R, expr)            \
  n.op[size_t(Opcode::id)] = Op::id##_ss; \
  n.binary[size_t(Opcode::id)] = true;
#define LOAD(id, M, R) n.op[size_t(Opcode::id)] = Op::id;
#define STORE(id, T, M) n.op[size_t(Opcode::id)] = Op::id;
#include "engine/interp/numeric_ops.def"
    return n;
  }();
  return info;
}

// Frames larger than this could never fit the machine's value stack (8 MiB: Machine). Slot
// operands are 32-bit byte offsets, so code could address far larger frames; the bound is the
// stack, which is what a guest may make a store keep resident through recursion.
constexpr uint64_t kMaxFrameBytes = uint64_t(4) << 20;
constexpr uint64_t kMaxCodeUnits = uint64_t(1) << 30;

}  // namespace

Op numeric_op(Opcode op) {
  return numeric_info().op[size_t(op)];
}
bool is_binary_numeric(Opcode op) {
  return numeric_info().binary[size_t(op)];
}

Op branch_compare_op(Opcode op) {
  switch (op) {
#define INT_COMPARE(cond, negated, o, T32, T64) \
  case Opcode::I32##cond:                       \
    return Op::BrI32##cond##_ss;                \
  case Opcode::I64##cond:                       \
    return Op::BrI64##cond##_ss;
#include "engine/compare_ops.def"
    default:
      return Op::Count_;
  }
}

Opcode negated_compare(Opcode op) {
  switch (op) {
#define INT_COMPARE(cond, negated, o, T32, T64) \
  case Opcode::I32##cond:                       \
    return Opcode::I32##negated;                \
  case Opcode::I64##cond:                       \
    return Opcode::I64##negated;
#include "engine/compare_ops.def"
    default:
      return op;
  }
}

bool is_wide(ValType t) {
  return t == ValType::I64 || t == ValType::F64 || is_ref(t);
}

Lowerer::Lowerer(const Config& config) : config_(config), handlers_(handler_offsets()) {}

// ---- Emission --------------------------------------------------------------------------------

void Lowerer::emit(Op op) {
  instr_start_ = here();
  if (is_trap_or_call_site(op)) out_->wasm_offsets.push_back({here(), wasm_offset_});
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

void Lowerer::set_retargetable(uint32_t dst) {
  last_dst_ = instr_start_ + 1;  // every retargetable op has its destination first
  last_dst_home_ = dst;
}

void Lowerer::bind(const Fixup& f, uint32_t pos) {
  code()[f.operand] = uint32_t(int32_t(pos) - int32_t(f.instr));
}

void Lowerer::begin_fuel_block() {
  if (!config_.consume_fuel) return;
  emit_Fuel(*this, 0);  // the cost, counted up as the block's instructions come
  fuel_pos_ = here() - 1;
}

// ---- Safepoints -------------------------------------------------------------------------------

bool Lowerer::holds_gc(ValType t) const {
  if (is_concrete(t)) return module_->type_kind(ref_type_index(t)) != CompositeKind::Func;
  return rt::may_hold_gc_object(t);
}

void Lowerer::safepoint(std::span<const Entry> consumed, size_t live) {
  std::vector<uint32_t> slots;
  auto add = [&](const Entry& e) {
    if (e.kind == Kind::Stack && holds_gc(e.type)) slots.push_back(e.home);
  };
  for (size_t i = 0; i < std::min(live, stack_.size()); ++i) add(stack_[i]);
  for (const Entry& e : consumed) add(e);
  if (slots.empty()) return;
  std::vector<uint32_t>& map = gc_map_;
  if (map.empty()) map.push_back(0);  // no local holds a reference
  map.push_back(here());
  map.push_back(uint32_t(slots.size()));
  map.insert(map.end(), slots.begin(), slots.end());
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
      if (e.type == ValType::V128) {
        emit_Copy128(*this, dst, src);
      } else {
        emit_Copy64(*this, dst, src);
      }
      return;
    }
    case Kind::Const:
      if (is_wide(e.type)) {
        emit_Const64(*this, dst, e.bits);
      } else {
        emit_Const32(*this, dst, uint32_t(e.bits));
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
  wasm_offset_ = module.bodies[func_index - module.num_imported_funcs].start;
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
  std::vector<uint32_t> gc_locals;
  for (size_t i = 0; i < locals.size(); ++i) {
    if (holds_gc(locals[i])) gc_locals.push_back(local_slots_[i]);
  }
  gc_map_.clear();
  if (!gc_locals.empty()) {
    gc_map_.push_back(uint32_t(gc_locals.size()));
    gc_map_.insert(gc_map_.end(), gc_locals.begin(), gc_locals.end());
  }
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
  if (!gc_map_.empty()) {
    out_->gc_map = std::make_unique<uint32_t[]>(gc_map_.size() + 1);
    out_->gc_map[0] = uint32_t(gc_map_.size());
    std::copy(gc_map_.begin(), gc_map_.end(), &out_->gc_map[1]);
  }
  uint64_t frame = std::max<uint64_t>(max_end_, result_bytes_);
  // Implementation limits, not validation rules: the module is valid (the JIT may run it).
  if (frame > kMaxFrameBytes) {
    return Error{ErrorKind::Limit,
                 "implementation limit: the function's frame needs " +
                     std::to_string(frame / kSlotBytes) + " slots, the interpreter allows " +
                     std::to_string(kMaxFrameBytes / kSlotBytes),
                 {},
                 {}};
  }
  if (code().size() > kMaxCodeUnits) {
    return Error{ErrorKind::Limit,
                 "implementation limit: the function lowers to " + std::to_string(code().size()) +
                     " code units, the interpreter allows " + std::to_string(kMaxCodeUnits),
                 {},
                 {}};
  }
  out_->frame_bytes = uint32_t(frame);
  // Kept as long as the module: without the spare capacity growth left.
  code().shrink_to_fit();
  return std::nullopt;
}

void Lowerer::instr(const Instr& in, std::span<const ValType> popped,
                    std::span<const ValType> pushed, bool unreachable) {
  (void)popped;
  // After a refusal the operand-stack model no longer follows the code: lower nothing more
  // (the validator still reads the rest of the function).
  if (error_) return;
  wasm_offset_ = in.offset;
  switch (in.op) {
    case Opcode::Block:
    case Opcode::Loop:
    case Opcode::If:
    case Opcode::Else:
    case Opcode::End:
      if (fuel_pos_ && !ctrls_.back().dead && !unreachable) ++code()[*fuel_pos_];
      if (in.op == Opcode::End && is_exception_block(ctrls_.back().op)) {
        exception_control(in, unreachable);
      } else {
        control(in, unreachable);
      }
      return;
    case Opcode::TryTable:
    case Opcode::Try:
    case Opcode::Catch:
    case Opcode::CatchAll:
    case Opcode::Delegate:
      if (fuel_pos_ && !ctrls_.back().dead && !unreachable) ++code()[*fuel_pos_];
      exception_control(in, unreachable);
      return;
    default:
      break;
  }
  if (unreachable || ctrls_.back().dead) return;
  if (fuel_pos_) ++code()[*fuel_pos_];
  if (in.op == Opcode::Nop) return;
  // memory() takes the numeric_ops.def loads and stores before numeric() sees the rest.
  bool lowered = branches(in) || variables_and_calls(in, pushed) || memory(in, pushed) ||
                 tables_and_refs(in, pushed) || numeric(in, pushed) || simd(in, pushed) ||
                 exceptions(in) || typed_references(in) || i31_and_ref_eq(in, pushed) ||
                 casts(in, pushed) || gc_objects(in, pushed);
  if (!lowered && !error_) {
    error_ =
        Error::invalid("the interpreter cannot lower " + std::string(name_of(in.op)), in.offset);
  }
}

// ---- Entry point -----------------------------------------------------------------------------

Result<FuncCodePtr> compile_function(const ModuleInfo& module, uint32_t defined_index,
                                     const Config& config) {
  Lowerer lowerer(config);
  TERN_TRY(validate_function(module, defined_index, &lowerer));
  return lowerer.take();
}

namespace {

// A Lowerer that, once the function is validated and lowered, puts its code into `out`.
class LoweringInto final : public FuncConsumer {
 public:
  LoweringInto(const Config& config, FuncCodePtr& out) : lowerer_(config), out_(out) {}
  void begin(const ModuleInfo& module, uint32_t func_index, const FuncType& type,
             std::span<const ValType> locals) override {
    lowerer_.begin(module, func_index, type, locals);
  }
  void instr(const Instr& in, std::span<const ValType> popped, std::span<const ValType> pushed,
             bool unreachable) override {
    lowerer_.instr(in, popped, pushed, unreachable);
  }
  std::optional<Error> finish() override {
    std::optional<Error> error = lowerer_.finish();
    if (!error) out_ = lowerer_.take();
    return error;
  }

 private:
  Lowerer lowerer_;
  FuncCodePtr& out_;
};

}  // namespace

Result<std::vector<FuncCodePtr>> compile_functions(const ModuleInfo& module, const Config& config) {
  std::vector<FuncCodePtr> funcs(module.num_defined_funcs());
  TERN_TRY(validate_functions(module, 0, [&](uint32_t defined_index) {
    return std::make_unique<LoweringInto>(config, funcs[defined_index]);
  }));
  return funcs;
}

}  // namespace tern::interp
