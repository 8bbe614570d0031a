// FuncCompiler's instruction visitor: the per-instruction dispatch, and how each instruction
// that is not control flow is compiled (inline, or as a helper call).
#include "jit/common/func_compiler.h"

#include <algorithm>
#include <string>

#include "engine/decoder/reader.h"
#include "jit/common/helpers.h"
#include "jit/common/opcode_forms.h"
#include "jit/common/runtime_layout.h"

namespace tern::jit {

namespace {

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
      config_(config),
      v128_ok_(masm.simd() && backend_compiles_simd(Opcode::V128Const)) {}

// ---- Instructions --------------------------------------------------------------------------

void FuncCompiler::instr(const Instr& in, std::span<const ValType> popped,
                         std::span<const ValType> pushed, bool unreachable) {
  if (error_) return;
  wasm_offset_ = in.offset;
  masm_.set_wasm_offset(in.offset);
  pinned_regs_[0] = pinned_regs_[1] = 0;
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
      close_try_body();
      end_block(unreachable);
      return;
    case Opcode::Try:
    case Opcode::TryTable:
      enter_try(in, dead || unreachable);
      return;
    case Opcode::Catch:
    case Opcode::CatchAll:
      catch_arm(in, unreachable);
      return;
    case Opcode::Delegate:
      delegate(in, unreachable);
      return;
    default:
      break;
  }
  if (dead || unreachable) return;
  if (!v128_ok_ && (std::ranges::find(popped, ValType::V128) != popped.end() ||
                    std::ranges::find(pushed, ValType::V128) != pushed.end())) {
    return fail(in, "v128 values are not compiled on this host in");
  }
  if (!compile(in, popped, pushed)) fail(in, "unsupported instruction");
}

void FuncCompiler::call_helper(Helper fn, uint32_t operands, uint64_t imm, bool may_trap,
                               std::span<const ValType> results, bool result_in_register,
                               bool operands_are_roots) {
  flush_all();
  before_call();
  uint32_t base = height() - operands;
  masm_.mark_wasm_offset();  // a backtrace's caller frame: inside this call
  masm_.call_helper(fn, slot_at(base), imm);
  record_safepoint(operands_are_roots ? height() : base);
  if (may_trap) masm_.branch_if_trap_pending(pending_trap_after_call());
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
  uint32_t n = uint32_t(type.params.size());
  if (in.op == Opcode::CallIndirect || in.op == Opcode::CallRef) {
    call_indirect(in, type);
  } else if (callee < info.num_imported_funcs) {
    call_helper(helpers::call_import, n, callee, true, type.results, false, false);
  } else {
    flush_all();
    before_call();
    uint32_t base = height() - n;
    uint32_t defined = callee - info.num_imported_funcs;
    reserve_value_area(base);
    masm_.mark_wasm_offset();
    if (defined >= first_labelled_ && defined - first_labelled_ < func_labels_.size()) {
      masm_.call_direct(func_labels_[defined - first_labelled_], slot_at(base));
    } else {
      masm_.call_entry(&entries_[defined], slot_at(base));
    }
    record_safepoint(base);
    truncate(base);
    for (ValType t : type.results) push_slot(t);
  }
}

// A table's inline lookup reads the runtime's vectors and takes an i32 index; a 64-bit table's
// (memory64) goes through the helper. Its type check is one compare of canonical ids, which is
// the whole test only when the expected type is final: a callee of a declared subtype of a
// type that is not final is accepted by the helper (rt::func_subtype). A reference needs none
// of this.
bool FuncCompiler::inline_call_indirect(const Instr& in) const {
  if (in.op == Opcode::CallRef || in.op == Opcode::ReturnCallRef) return true;
  const ModuleInfo& info = module_.info;
  bool final_type = in.index >= info.type_defs.size() || info.type_defs[in.index].final;
  return runtime_layout().vectors_readable && info.tables[in.index2].addr != AddrType::I64 &&
         final_type;
}

// The call_indirect helper checks the element as the inline path does; call_ref's finds the
// reference after the arguments (`arg_slots` on) and needs no type id.
std::pair<Helper, uint64_t> FuncCompiler::generic_callee(const Instr& in,
                                                         uint32_t arg_slots) const {
  if (in.op == Opcode::CallRef || in.op == Opcode::ReturnCallRef) {
    return {helpers::call_ref, arg_slots};
  }
  return {helpers::call_indirect, pack(in.index, in.index2)};
}

IndirectCall FuncCompiler::indirect_call(const Instr& in, Slot values, uint32_t arg_slots) {
  IndirectCall c;
  c.values = values;
  c.num_params = arg_slots;
  c.entries = entries_;
  c.num_imported_funcs = module_.info.num_imported_funcs;
  if (in.op == Opcode::CallRef || in.op == Opcode::ReturnCallRef) {
    c.source = IndirectCall::Source::Reference;
    c.null_callee = trap_label(TrapCode::NullFunctionReference);
  } else {
    c.table = in.index2;
    c.type_id = &module_.type_ids[in.index];
    c.undefined_element = trap_label(TrapCode::UndefinedElement);
    c.null_callee = trap_label(TrapCode::UninitializedElement);
    c.type_mismatch = trap_label(TrapCode::IndirectCallTypeMismatch);
  }
  c.generic = masm_.new_label();
  return c;
}

void FuncCompiler::call_indirect(const Instr& in, const FuncType& type) {
  uint32_t n = uint32_t(type.params.size());
  auto [fn, imm] = generic_callee(in, slots_of(type.params));
  if (!inline_call_indirect(in)) {
    call_helper(fn, n + 1, imm, true, type.results, false, false);
    return;
  }
  flush_all();
  before_call();
  uint32_t base = height() - n - 1;
  IndirectCall c = indirect_call(in, slot_at(base), slots_of(type.params));
  reserve_value_area(base);
  masm_.mark_wasm_offset();
  masm_.call_indirect(c);
  std::vector<Slot> live = gc_slots(base);
  masm_.record_safepoint(live);
  Label resume = masm_.new_label();
  masm_.bind(resume);
  // The generic call's trap is raised as if from the inline call's return address.
  masm_.mark_wasm_offset();
  Label pending = masm_.new_label();
  site_raises_.emplace_back(pending, resume);
  generic_calls_.push_back({c.generic, resume, c.values, fn, imm, pending, std::move(live)});
  truncate(base);
  for (ValType t : type.results) push_slot(t);
}

// return_call, return_call_indirect and return_call_ref. The callee reuses this function's value
// area, which holds as many values as its parameters or results, and at least kMinValueArea (the
// callee's results are the same), so this frame goes and the callee returns to our caller: constant
// stack space. A callee taking more arguments than the area holds, an import, or an indirect
// callee of another instance or tier is called, and its results returned: the same results,
// the frame kept meanwhile.
void FuncCompiler::return_call(const Instr& in) {
  const ModuleInfo& info = module_.info;
  bool by_ref = in.op == Opcode::ReturnCallRef;
  bool indirect = in.op == Opcode::ReturnCallIndirect || by_ref;
  const FuncType& type = indirect ? info.types[in.index] : info.func_type(in.index);
  uint32_t n = uint32_t(type.params.size());
  uint32_t arg_slots = slots_of(type.params);
  bool fits = arg_slots <= std::max(value_area_size_, kMinValueArea);
  bool import = !indirect && in.index < info.num_imported_funcs;
  bool inline_indirect = indirect && inline_call_indirect(in);
  if (!fits || import || (indirect && !inline_indirect)) {
    Instr as_call = in;
    as_call.op = by_ref ? Opcode::CallRef : indirect ? Opcode::CallIndirect : Opcode::Call;
    // Still a tail call for exception handling: the try blocks around it do not apply, so the
    // call goes in a region of its own with no clause and no parent.
    bool in_try = nearest_handler(ctrls_.size() - 1) >= 0;
    TryRegionLabels outside_try;
    if (in_try) {
      outside_try.begin = masm_.new_label();
      outside_try.end = masm_.new_label();
      masm_.bind(outside_try.begin);
    }
    call(as_call);
    if (in_try) {
      masm_.bind(outside_try.end);
      tries_.push_back(std::move(outside_try));
    }
    if (!error_) branch_to(uint32_t(ctrls_.size() - 1));
    return;
  }
  flush_all();
  before_call();
  uint32_t base = height() - n - (indirect ? 1 : 0);
  if (indirect) {
    IndirectCall c = indirect_call(in, slot_at(base), arg_slots);
    c.tail = true;
    masm_.call_indirect(c);
    // The generic path (another instance's or tier's function, a host function) calls through
    // the helper and comes back here to return its results.
    Label resume = masm_.new_label();
    masm_.bind(resume);
    masm_.return_from_function(c.values, slots_of(type.results));
    // A tail call leaves the try blocks around it: no handler of this frame applies.
    auto [fn, imm] = generic_callee(in, arg_slots);
    generic_calls_.push_back(
        {c.generic, resume, c.values, fn, imm, shared_pending_label(), gc_slots(base)});
  } else {
    uint32_t defined = in.index - info.num_imported_funcs;
    if (defined >= first_labelled_ && defined - first_labelled_ < func_labels_.size()) {
      masm_.tail_call_direct(func_labels_[defined - first_labelled_], slot_at(base), arg_slots);
    } else {
      masm_.tail_call_entry(&entries_[defined], slot_at(base), arg_slots);
    }
  }
  truncate(base);
}

void FuncCompiler::memory_access(const Instr& in) {
  MemAccess a = *mem_access(in.op);
  bool fp = in.op == Opcode::F32Load || in.op == Opcode::F64Load || in.op == Opcode::F32Store ||
            in.op == Opcode::F64Store;
  // A cached local's register serves as the address or stored value as it is.
  Operand value_op, addr_op;
  Reg value = 0;
  if (is_store(in.op)) {
    value_op = pop();
    value = read_reg(value_op, height());
  }
  addr_op = pop();
  Reg addr = read_reg(addr_op, height());
  uint64_t offset = bound_access(in, a, addr);
  if (in.mem.memory != 0) {
    a.base_in_reg = true;
    a.base = alloc_reg(RegClass::Gp);
    masm_.load_memory_base(a.base, in.mem.memory);
  }
  if (is_store(in.op)) {
    if (fp) {
      masm_.store_fp(a, addr, offset, value);
    } else {
      masm_.store(a, addr, offset, value);
    }
    free_unless_borrowed(value_op, value);
    free_unless_borrowed(addr_op, addr);
  } else if (fp) {
    Reg dst = alloc_reg(RegClass::Fp);
    masm_.load_fp(a, dst, addr, offset);
    free_unless_borrowed(addr_op, addr);
    push_reg(a.width == Width::W32 ? ValType::F32 : ValType::F64, dst);
  } else {
    ValType t = a.width == Width::W32 ? ValType::I32 : ValType::I64;
    CachedLocal* target = result_local(in, t);
    Reg dst = target ? target->reg : addr_op.kind == Kind::Local ? alloc_reg(RegClass::Gp) : addr;
    masm_.load(a, dst, addr, offset);
    if (dst != addr) free_unless_borrowed(addr_op, addr);
    push_result(t, dst, target);
  }
  if (a.base_in_reg) free_reg(RegClass::Gp, a.base);
}

// A 32-bit memory needs no check: its reservation's guard region turns any 32-bit address plus
// 32-bit offset out of bounds into a fault. A 64-bit address is checked explicitly, and passing,
// lies below 4 GiB with its offset, where the 32-bit access reaches the same byte. An offset that
// no memory is large enough for traps outright (the access after the jump is never reached).
uint64_t FuncCompiler::bound_access(const Instr& in, const MemAccess& a, Reg addr) {
  if (module_.info.memories[in.mem.memory].addr != AddrType::I64) return in.mem.offset;
  constexpr uint64_t kLargestMemory = kMaxPages32 * kPageSize;
  Label out_of_bounds = trap_label(TrapCode::MemoryOutOfBounds);
  if (in.mem.offset > kLargestMemory - a.bytes) {
    masm_.jump(out_of_bounds);
    return 0;
  }
  masm_.check_memory_bounds(in.mem.memory, addr, in.mem.offset + a.bytes, out_of_bounds);
  return in.mem.offset;
}

bool FuncCompiler::inline_numeric(const Instr& in) {
  return inline_int_numeric(in) || inline_float_numeric(in) || inline_conversion(in);
}

FuncCompiler::CachedLocal* FuncCompiler::result_local(const Instr& in, ValType t) {
  const ModuleInfo& info = module_.info;
  const FuncBody& body = info.bodies[func_index_ - info.num_imported_funcs];
  size_t end = size_t(body.start) + body.size;
  // local.set, local.tee
  if (in.end >= end || (info.bytes[in.end] != 0x21 && info.bytes[in.end] != 0x22)) return nullptr;
  Reader r(info.bytes, in.end + 1, end);
  uint32_t local = r.u32();
  if (!r.ok() || !cached(local) || cached(local)->type != t) return nullptr;
  end_borrows(local);  // which may evict it
  return cached(local);
}

void FuncCompiler::push_result(ValType t, Reg r, CachedLocal* target) {
  if (!target) return push_reg(t, r);
  target->dirty = true;
  target->last_use = ++use_clock_;
  push(local_operand(t, r, target->local));
}

bool FuncCompiler::inline_int_numeric(const Instr& in) {
  if (auto alu = inline_alu(in.op)) {
    Operand rhs = pop();
    Operand lhs = pop();
    int64_t imm = as_imm(rhs.bits, alu->w);
    // Shift and rotate counts are taken modulo the width.
    if (alu->op >= AluOp::Shl) imm &= alu->w == Width::W32 ? 31 : 63;
    bool folds = rhs.kind == Kind::Const && masm_.encodes_imm(alu->op, alu->w, imm);
    Reg l = read_reg(lhs, height());
    Reg r = folds ? 0 : read_reg(rhs, height() + 1);
    // The result replaces an operand in a register of its own; a cached local's keeps its value.
    Reg dst = l;
    // From a cached local, the result goes straight into the cached local the next instruction
    // sets, if any (`x = x + 1` is one add).
    CachedLocal* target = nullptr;
    if (lhs.kind == Kind::Local) {
      target = result_local(in, lhs.type);
      if (target) {
        dst = target->reg;
      } else {
        dst = !folds && rhs.kind != Kind::Local ? r : alloc_reg(RegClass::Gp);
      }
    }
    if (folds) {
      masm_.alu_imm(alu->op, alu->w, dst, l, imm);
    } else {
      masm_.alu(alu->op, alu->w, dst, l, r);
      if (dst != r) free_unless_borrowed(rhs, r);
    }
    push_result(lhs.type, dst, target);
    return true;
  }
  if (auto cmp = inline_compare(in.op)) {
    Operand rhs = pop();
    Operand lhs = pop();
    push_compare(cmp->c, cmp->w, lhs, rhs, height());
    return true;
  }
  if (auto div = inline_div(in.op)) {
    ValType t = stack_.back().type;
    Reg rhs = pop_to_reg();
    Reg lhs = pop_to_reg();
    // Labels in a fixed order (argument evaluation order varies by target), so the code is
    // the same whichever compiler built Tern.
    Label div_by_zero = trap_label(TrapCode::IntegerDivideByZero);
    Label overflow = trap_label(TrapCode::IntegerOverflow);
    masm_.divide(div->op, div->w, lhs, rhs, div_by_zero, overflow);
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
        push_compare(Cond::Eq, in.op == Opcode::I32Eqz ? Width::W32 : Width::W64, v,
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
        Label invalid = trap_label(TrapCode::InvalidConversionToInteger);
        Label overflow = trap_label(TrapCode::IntegerOverflow);
        masm_.truncate_fp_to_int(conv->c, dst, src, invalid, overflow);
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
      if (op.kind == Kind::Reg || op.kind == Kind::Local) {
        Reg r = alloc_reg(reg_class(kTo[k]));
        if (reg_class(kTo[k]) == RegClass::Fp) {
          masm_.move_to_fp(r, op.reg);
        } else {
          masm_.move_from_fp(r, op.reg);
        }
        free_unless_borrowed(op, op.reg);
        op.reg = r;
        op.kind = Kind::Reg;
      }
      op.type = kTo[k];
      push(op);
      return true;
    }
    default:
      return false;
  }
}

bool FuncCompiler::compile(const Instr& in, std::span<const ValType> popped,
                           std::span<const ValType> pushed) {
  if (info(in.op).prefix == 0xFD) return compile_simd(in, popped, pushed);
  if (compile_typed_reference(in, pushed)) return true;
  if (is_gc(in.op)) return compile_gc(in, pushed);
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
    case Opcode::BrIf:
      br_if(in.index, pop_condition());
      begin_fuel_block();
      return true;
    case Opcode::BrTable:
      br_table(in);
      return true;
    case Opcode::Return:
      branch_to(uint32_t(ctrls_.size() - 1));
      return true;
    case Opcode::Call:
    case Opcode::CallIndirect:
    case Opcode::CallRef:
      call(in);
      return true;
    case Opcode::ReturnCall:
    case Opcode::ReturnCallIndirect:
    case Opcode::ReturnCallRef:
      return_call(in);
      return true;
    case Opcode::Drop:
      free_operand(pop());
      return true;
    case Opcode::Throw: {
      size_t n = module_.info.types[module_.info.tags[in.index]].params.size();
      call_helper(helpers::throw_exception, uint32_t(n), in.index, true, {}, false);
      return true;
    }
    case Opcode::ThrowRef:
      call_helper(helpers::throw_ref, 1, 0, true, {}, false);
      return true;
    case Opcode::Rethrow:
      rethrow(in);
      return true;
    case Opcode::Select:
    case Opcode::SelectT: {
      Reg cond = pop_to_reg();
      Reg other = pop_to_reg();
      Reg dst = pop_to_reg();
      RegClass c = reg_class(pushed[0]);
      if (pushed[0] == ValType::V128) {
        masm_.simd()->select(dst, other, cond);
      } else if (c == RegClass::Fp) {
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
      Reg r = alloc_reg(reg_class(pushed[0]));
      if (pushed[0] == ValType::V128) {
        masm_.simd()->load_global(r, in.index);
      } else if (reg_class(pushed[0]) == RegClass::Fp) {
        masm_.load_global_fp(r, in.index);
      } else {
        masm_.load_global(r, in.index);
      }
      push_reg(pushed[0], r);
      return true;
    }
    case Opcode::GlobalSet: {
      ValType t = stack_.back().type;
      RegClass c = reg_class(t);
      Reg r = pop_to_reg();
      if (t == ValType::V128) {
        masm_.simd()->store_global(in.index, r);
      } else if (c == RegClass::Fp) {
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
      call_helper(helpers::memory_size, 0, in.index, false, pushed, true);
      return true;
    case Opcode::MemoryGrow:
      call_helper(helpers::memory_grow, 1, in.index, false, pushed, true);
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
