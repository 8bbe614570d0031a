// Function bodies: the spec's validation algorithm (appendix/algorithm.rst), one instruction at
// a time: read it (instr_reader), type it, hand it to the consumer.
#include "engine/validator/func_validator.h"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <string>

#include "engine/decoder/instr_reader.h"
#include "engine/decoder/reader.h"
#include "engine/features.h"
#include "engine/validator/validator.h"

namespace tern {
namespace {

// The fixed signature of an instruction, from the `sig` column of opcodes.def.
struct Sig {
  bool fixed = false;
  uint8_t num_params = 0;
  uint8_t num_results = 0;
  std::array<ValType, 3> params{};
  std::array<ValType, 1> results{};
  std::span<const ValType> param_span() const { return {params.data(), num_params}; }
  std::span<const ValType> result_span() const { return {results.data(), num_results}; }
};

ValType sig_letter(char c) {
  switch (c) {
    case 'i':
      return ValType::I32;
    case 'l':
      return ValType::I64;
    case 'f':
      return ValType::F32;
    case 'd':
      return ValType::F64;
    default:
      return ValType::V128;  // 'v'
  }
}

// Per opcode: its fixed signature, its immediates, and whether it needs nothing beyond the
// signature (no index or immediate rule), the common case the validator handles first.
struct OpTraits {
  Sig sig;
  ImmKind imm = ImmKind::None;
  uint8_t n = 0;
  bool plain = false;
};

struct TraitTable {
  std::array<OpTraits, kOpcodeCount> ops;
  TraitTable() {
    for (size_t i = 0; i < kOpcodeCount; ++i) {
      const OpcodeInfo& oi = info(Opcode(i));
      OpTraits& t = ops[i];
      ImmKind imm = oi.imm;
      t.imm = imm;
      t.n = oi.n;
      if (oi.sig.empty()) continue;
      Sig& s = t.sig;
      s.fixed = true;
      size_t sep = oi.sig.find('_');
      // opcodes.def's signatures have at most three operands and one result.
      if (sep > s.params.size() || oi.sig.size() - sep - 1 > s.results.size()) std::abort();
      for (size_t k = 0; k < sep; ++k) s.params[s.num_params++] = sig_letter(oi.sig[k]);
      for (size_t k = sep + 1; k < oi.sig.size(); ++k) {
        s.results[s.num_results++] = sig_letter(oi.sig[k]);
      }
      t.plain = imm == ImmKind::None || imm == ImmKind::I32 || imm == ImmKind::I64 ||
                imm == ImmKind::F32 || imm == ImmKind::F64 || imm == ImmKind::V128;
    }
  }
};
const TraitTable kTraits;

// Backing storage for single-value block types, so a BlockSig can point at it.
constexpr std::array<ValType, 8> kSingleTypes = {
    ValType::I32,  ValType::I64,     ValType::F32,       ValType::F64,
    ValType::V128, ValType::FuncRef, ValType::ExternRef, ValType::ExnRef};
std::span<const ValType> single(ValType t) {
  for (const ValType& s : kSingleTypes) {
    if (s == t) return {&s, 1};
  }
  return {};
}

bool num_like(ValType t) {
  return t == kUnknownType || is_num(t);
}
bool vec_like(ValType t) {
  return t == kUnknownType || t == ValType::V128;
}

}  // namespace

bool FuncValidator::pop(ValType expect, ValType& got) {
  const Ctrl& c = ctrls_.back();
  if (vals_.size() == c.height) {
    got = expect;
    return c.unreachable;
  }
  ValType actual = vals_.back();
  vals_.pop_back();
  if (actual != expect && actual != kUnknownType && expect != kUnknownType &&
      !matches(actual, expect)) {
    return false;
  }
  got = actual == kUnknownType ? expect : actual;
  return true;
}

bool FuncValidator::pop_into(std::span<const ValType> types, size_t at) {
  for (size_t i = types.size(); i-- > 0;) {
    if (!pop(types[i], popped_[at + i])) return false;
  }
  return true;
}

bool FuncValidator::pop_append(std::span<const ValType> types) {
  size_t at = popped_.size();
  popped_.resize(at + types.size());
  return pop_into(types, at);
}

bool FuncValidator::peek_matches(std::span<const ValType> types) const {
  const Ctrl& c = ctrls_.back();
  size_t depth = vals_.size() - c.height;
  for (size_t k = 0; k < types.size(); ++k) {
    ValType expect = types[types.size() - 1 - k];
    if (k >= depth) return c.unreachable;
    ValType actual = vals_[vals_.size() - 1 - k];
    if (actual != expect && actual != kUnknownType && !matches(actual, expect)) return false;
  }
  return true;
}

Result<void> FuncValidator::read_locals(Reader& r, const FuncType& type) {
  local_groups_.clear();
  size_t at = r.pos();
  uint32_t groups = r.count();
  uint64_t total = type.params.size();
  for (uint32_t i = 0; i < groups && r.ok(); ++i) {
    uint32_t n = r.u32();
    size_t type_at = r.pos();
    ValType t = read_valtype(r);
    if (r.ok() && is_exn(t) && !m_->features.exceptions) {
      r.fail_disabled("exnref", "exception handling", "exceptions", type_at);
    }
    if (r.ok() && !known_type(t)) {
      return Error::invalid("unknown type " + std::to_string(ref_type_index(t)), type_at);
    }
    total += n;
    if (r.ok() && total > UINT32_MAX) r.fail("too many locals");
    local_groups_.emplace_back(n, t);
  }
  if (!r.ok()) return r.error();
  // Before locals_ grows to the declared count.
  if (total > m_->limits.locals) {
    r.fail_limit("locals", total, "locals", m_->limits.locals, at);
    return r.error();
  }
  locals_.assign(type.params.begin(), type.params.end());
  for (auto [n, t] : local_groups_) locals_.insert(locals_.end(), n, t);
  init_locals(type.params.size());
  return {};
}

Result<void> FuncValidator::run(const ModuleInfo& m, uint32_t defined_index,
                                FuncConsumer* consumer) {
  m_ = &m;
  space_ = TypeSpace::of(m);
  uint32_t func_index = m.num_imported_funcs + defined_index;
  const FuncBody& body = m.bodies[defined_index];
  if (m.funcs[func_index] >= m.types.size()) return Error::invalid("unknown type", body.start);
  const FuncType& type = m.types[m.funcs[func_index]];
  Reader r(m.bytes, body.start, size_t(body.start) + body.size);
  r.set_features(m.features);
  TERN_TRY(read_locals(r, type));
  if (consumer) consumer->begin(m, func_index, type, locals_);

  vals_.clear();
  ctrls_.clear();
  block_ref_types_.clear();
  body_results_ = type.results;
  ctrls_.push_back(Ctrl{kBodyBlockType, 0, Opcode::Block, false});
  while (!ctrls_.empty()) {
    if (r.at_end()) return Error::malformed("END opcode expected", r.pos());
    if (!read_instr(r, in_, targets_, m.limits.br_table_targets, m.features)) return r.error();
    bool unreachable = ctrls_.back().unreachable;
    malformed_ = false;
    limit_ = false;
    if (const char* msg = check()) {
      if (limit_) return Error{ErrorKind::Limit, msg, in_.offset, {}};
      return malformed_ ? Error::malformed(msg, in_.offset) : Error::invalid(msg, in_.offset);
    }
    if (consumer) {
      if (fixed_) {
        consumer->instr(in_, fixed_params_, fixed_results_, unreachable);
      } else {
        consumer->instr(in_, popped_, pushed_, unreachable);
      }
    }
  }
  if (!r.at_end()) return Error::malformed("section size mismatch", r.pos());
  if (consumer) {
    if (std::optional<Error> e = consumer->finish()) return std::move(*e);
  }
  return {};
}

const char* FuncValidator::check() {
  const OpTraits& t = kTraits.ops[size_t(in_.op)];
  fixed_ = t.sig.fixed;
  if (const char* msg = check_exceptions_enabled()) return msg;
  if (const char* msg = check_typed_references_enabled()) return msg;
  if (!t.plain) {
    if (const char* msg = check_immediates(t.imm, t.n)) return msg;
  }
  if (!fixed_) {
    popped_.clear();
    pushed_.clear();
    return check_control();
  }
  fixed_params_ = t.sig.param_span();
  fixed_results_ = t.sig.result_span();
  if (!t.plain) widen_addresses();
  if (!pop_fixed(fixed_params_)) return "type mismatch";
  if (!fixed_results_.empty()) vals_.push_back(fixed_results_[0]);  // at most one result
  return nullptr;
}

bool FuncValidator::pop_fixed(std::span<const ValType> params) {
  const Ctrl& c = ctrls_.back();
  size_t n = params.size();
  size_t k = std::min(n, vals_.size() - c.height);
  const ValType* top = vals_.data() + vals_.size() - k;
  for (size_t i = 0; i < k; ++i) {
    if (top[i] != params[n - k + i] && top[i] != kUnknownType &&
        !matches(top[i], params[n - k + i]))
      return false;
  }
  if (k < n && !c.unreachable) return false;
  vals_.erase(vals_.end() - ptrdiff_t(k), vals_.end());  // inline, unlike resize
  return true;
}

// Index and immediate rules of the fixed-signature instructions (memory, lanes, tables).
const char* FuncValidator::check_immediates(ImmKind imm, uint8_t n) {
  const ModuleInfo& m = *m_;
  auto unknown = [&](const char* what, uint32_t index) {
    message_ = std::string("unknown ") + what + " " + std::to_string(index);
    return message_.c_str();
  };
  switch (imm) {
    case ImmKind::MemArg:
    case ImmKind::MemArgLane:
      if (in_.mem.memory >= m.memories.size()) return unknown("memory", in_.mem.memory);
      if ((uint64_t(1) << in_.mem.align_log2) > n) {
        return "alignment must not be larger than natural";
      }
      if (m.memories[in_.mem.memory].addr == AddrType::I32 && in_.mem.offset > UINT32_MAX) {
        return "offset out of range";
      }
      if (imm == ImmKind::MemArgLane && in_.lane >= 16 / n) return "invalid lane index";
      return nullptr;
    case ImmKind::Lane:
      return in_.lane >= n ? "invalid lane index" : nullptr;
    case ImmKind::Shuffle:
      for (uint8_t lane : in_.v128.bytes) {
        if (lane >= 32) return "invalid lane index";
      }
      return nullptr;
    case ImmKind::Mem:
      return in_.index >= m.memories.size() ? unknown("memory", in_.index) : nullptr;
    case ImmKind::MemCopy:
      if (in_.index >= m.memories.size()) return unknown("memory", in_.index);
      return in_.index2 >= m.memories.size() ? unknown("memory", in_.index2) : nullptr;
    case ImmKind::MemInit:
    case ImmKind::Data:
      if (!m.data_count) {
        malformed_ = true;
        return "data count section required";
      }
      if (in_.index >= *m.data_count) return unknown("data segment", in_.index);
      if (imm == ImmKind::MemInit && in_.index2 >= m.memories.size()) {
        return unknown("memory", in_.index2);
      }
      return nullptr;
    case ImmKind::Table:
      return in_.index >= m.tables.size() ? unknown("table", in_.index) : nullptr;
    case ImmKind::Elem:
      return in_.index >= m.elems.size() ? unknown("elem segment", in_.index) : nullptr;
    case ImmKind::TableInit:
      if (in_.index2 >= m.tables.size()) return unknown("table", in_.index2);
      if (in_.index >= m.elems.size()) return unknown("elem segment", in_.index);
      return !matches(m.elems[in_.index].type, m.tables[in_.index2].elem) ? "type mismatch"
                                                                          : nullptr;
    case ImmKind::TableCopy:
      if (in_.index >= m.tables.size()) return unknown("table", in_.index);
      if (in_.index2 >= m.tables.size()) return unknown("table", in_.index2);
      // table.copy d s: the source's elements must fit the destination.
      return !matches(m.tables[in_.index2].elem, m.tables[in_.index].elem) ? "type mismatch"
                                                                           : nullptr;
    case ImmKind::Func:
      return in_.index >= m.funcs.size() ? unknown("function", in_.index) : nullptr;
    case ImmKind::Global:
      return in_.index >= m.globals.size() ? unknown("global", in_.index) : nullptr;
    case ImmKind::Local:
      return in_.index >= locals_.size() ? unknown("local", in_.index) : nullptr;
    case ImmKind::Label:
      return in_.index >= ctrls_.size() ? unknown("label", in_.index) : nullptr;
    case ImmKind::CallIndirect:
      if (in_.index2 >= m.tables.size()) return unknown("table", in_.index2);
      if (in_.index >= m.types.size()) return unknown("type", in_.index);
      if (!m.is_func_type(in_.index)) return "type mismatch: not a function type";
      return !matches(m.tables[in_.index2].elem, ValType::FuncRef) ? "type mismatch" : nullptr;
    case ImmKind::Block:
    case ImmKind::TryTable: {
      int64_t bt = int64_t(in_.bits);
      if (bt >= 0 && uint64_t(bt) >= m.types.size()) return unknown("type", uint32_t(bt));
      if (bt >= 0 && !m.is_func_type(uint32_t(bt))) return "type mismatch: not a function type";
      if (bt == int64_t(int8_t(uint8_t(ValType::ExnRef) << 1) >> 1) && !m.features.exceptions) {
        return disabled("exnref", false);
      }
      if (bt == kRefBlockType) {
        if (!known_type(in_.type)) return unknown("type", ref_type_index(in_.type));
        if (is_exn(in_.type) && !m.features.exceptions) return disabled("exnref", false);
        // Stored for the block's lifetime, so the block's signature can point at it.
        bt = kRefBlockType - int64_t(block_ref_types_.size());
        block_ref_types_.push_back(in_.type);
      }
      block_type_ = bt;
      in_.block = resolve(bt);
      return nullptr;
    }
    case ImmKind::Tag:
      return in_.index >= m.tags.size() ? unknown("tag", in_.index) : nullptr;
    case ImmKind::Type:
      if (in_.index >= m.types.size()) return unknown("type", in_.index);
      // call_ref's type is a function type; the GC instructions check theirs.
      if (!is_gc(in_.op) && !m.is_func_type(in_.index)) return "type mismatch: not a function type";
      return nullptr;
    default:
      return nullptr;
  }
}

// Memory64: the address (and length) operands of an access to an i64 memory or table are i64,
// and so is memory.size's and table.size's result. Rewrites fixed_params_/fixed_results_ into
// addressed_params_/addressed_results_ when any is.
void FuncValidator::widen_addresses() {
  const ModuleInfo& m = *m_;
  auto wide = [](AddrType a) { return a == AddrType::I64; };
  auto copy_once = [&] {
    if (fixed_params_.data() == addressed_params_.data()) return;
    std::copy(fixed_params_.begin(), fixed_params_.end(), addressed_params_.begin());
    std::copy(fixed_results_.begin(), fixed_results_.end(), addressed_results_.begin());
    fixed_params_ = {addressed_params_.data(), fixed_params_.size()};
    fixed_results_ = {addressed_results_.data(), fixed_results_.size()};
  };
  auto set_param = [&](size_t k, ValType t) {
    if (t == ValType::I32) return;
    copy_once();
    addressed_params_[k] = t;
  };
  auto set_result = [&](ValType t) {
    if (t == ValType::I32) return;
    copy_once();
    addressed_results_[0] = t;
  };
  // memory.copy and table.copy: the length is i64 only when both sides are.
  auto copy_between = [&](AddrType dst, AddrType src) {
    set_param(0, valtype_of(dst));
    set_param(1, valtype_of(src));
    set_param(2, wide(dst) && wide(src) ? ValType::I64 : ValType::I32);
  };
  switch (in_.op) {
    case Opcode::MemorySize:
      return set_result(valtype_of(m.memories[in_.index].addr));
    case Opcode::MemoryGrow:
      set_param(0, valtype_of(m.memories[in_.index].addr));
      return set_result(valtype_of(m.memories[in_.index].addr));
    case Opcode::MemoryFill:
      set_param(0, valtype_of(m.memories[in_.index].addr));
      return set_param(2, valtype_of(m.memories[in_.index].addr));
    case Opcode::MemoryCopy:
      return copy_between(m.memories[in_.index].addr, m.memories[in_.index2].addr);
    case Opcode::MemoryInit:
      return set_param(0, valtype_of(m.memories[in_.index2].addr));
    case Opcode::TableSize:
      return set_result(valtype_of(m.tables[in_.index].addr));
    case Opcode::TableCopy:
      return copy_between(m.tables[in_.index].addr, m.tables[in_.index2].addr);
    case Opcode::TableInit:
      return set_param(0, valtype_of(m.tables[in_.index2].addr));
    default:
      break;
  }
  ImmKind imm = info(in_.op).imm;
  if (imm == ImmKind::MemArg || imm == ImmKind::MemArgLane) {
    set_param(0, valtype_of(m.memories[in_.mem.memory].addr));
  }
}

BlockSig FuncValidator::resolve(int64_t bt) const {
  if (bt == kBodyBlockType) return BlockSig{{}, body_results_};
  if (bt <= kRefBlockType) return BlockSig{{}, {&block_ref_types_[size_t(kRefBlockType - bt)], 1}};
  if (bt >= 0) {
    const FuncType& t = m_->types[size_t(bt)];
    return BlockSig{t.params, t.results};
  }
  uint8_t byte = uint8_t(bt & 0x7F);
  return BlockSig{{}, byte == 0x40 ? std::span<const ValType>{} : single(ValType(byte))};
}

const char* FuncValidator::check_control() {
  const ModuleInfo& m = *m_;
  switch (in_.op) {
    case Opcode::Unreachable:
      set_unreachable();
      return nullptr;
    case Opcode::Nop:
      return nullptr;
    case Opcode::Block:
    case Opcode::Loop:
      if (!pop_append(in_.block.params)) return "type mismatch";
      push_ctrl(in_.op, block_type(), in_.block);
      return nullptr;
    case Opcode::If:
      popped_.resize(in_.block.params.size() + 1);
      if (!pop(ValType::I32, popped_.back())) return "type mismatch";
      if (!pop_into(in_.block.params, 0)) return "type mismatch";
      push_ctrl(in_.op, block_type(), in_.block);
      return nullptr;
    case Opcode::Else:
    case Opcode::End: {
      Ctrl c = ctrls_.back();
      if (in_.op == Opcode::Else && c.op != Opcode::If) {
        malformed_ = true;
        return "illegal opcode";
      }
      BlockSig block = sig(c);
      if (!pop_append(block.results)) return "type mismatch";
      if (vals_.size() != c.height) return "type mismatch";
      ctrls_.pop_back();
      reset_locals();
      if (in_.op == Opcode::Else) {
        push_ctrl(Opcode::Else, c.block_type, block);
        return nullptr;
      }
      // An if without else: the missing arm passes its params through as the results.
      if (c.op == Opcode::If && !all_match(block.params, block.results)) return "type mismatch";
      for (ValType t : block.results) {
        pushed_.push_back(t);
        if (!ctrls_.empty()) vals_.push_back(t);
      }
      return nullptr;
    }
    case Opcode::Br:
      if (!pop_append(label_types(ctrls_[ctrls_.size() - 1 - in_.index]))) return "type mismatch";
      set_unreachable();
      return nullptr;
    case Opcode::BrIf: {
      auto types = label_types(ctrls_[ctrls_.size() - 1 - in_.index]);
      popped_.resize(types.size() + 1);
      if (!pop(ValType::I32, popped_.back())) return "type mismatch";
      if (!pop_into(types, 0)) return "type mismatch";
      push_all(types);
      return nullptr;
    }
    case Opcode::BrTable: {
      ValType index_type;
      if (!pop(ValType::I32, index_type)) return "type mismatch";
      for (uint32_t label : in_.targets) {
        if (label >= ctrls_.size()) {
          message_ = "unknown label " + std::to_string(label);
          return message_.c_str();
        }
      }
      auto default_types = label_types(ctrls_[ctrls_.size() - 1 - in_.targets.back()]);
      for (size_t i = 0; i + 1 < in_.targets.size(); ++i) {
        auto types = label_types(ctrls_[ctrls_.size() - 1 - in_.targets[i]]);
        if (types.size() != default_types.size() || !peek_matches(types)) return "type mismatch";
      }
      if (!pop_append(default_types)) return "type mismatch";
      popped_.push_back(index_type);
      set_unreachable();
      return nullptr;
    }
    case Opcode::Return:
      if (!pop_append(body_results_)) return "type mismatch";
      set_unreachable();
      return nullptr;
    case Opcode::Call:
    case Opcode::CallIndirect: {
      uint32_t type_index = in_.op == Opcode::Call ? m.funcs[in_.index] : in_.index;
      if (type_index >= m.types.size()) return "unknown type";
      const FuncType& t = m.types[type_index];
      if (in_.op == Opcode::CallIndirect) {
        popped_.resize(t.params.size() + 1);
        if (!pop(valtype_of(m.tables[in_.index2].addr), popped_.back())) return "type mismatch";
        if (!pop_into(t.params, 0)) return "type mismatch";
      } else if (!pop_append(t.params)) {
        return "type mismatch";
      }
      push_all(t.results);
      return nullptr;
    }
    case Opcode::ReturnCall:
    case Opcode::ReturnCallIndirect:
      return check_tail_call();
    default:
      return check_hand_typed();
  }
}

const char* FuncValidator::disabled(const char* construct, bool legacy) {
  malformed_ = true;
  message_ =
      legacy ? feature_disabled_message(construct, "legacy exception handling", "legacy-exceptions")
             : feature_disabled_message(construct, "exception handling", "exceptions");
  return message_.c_str();
}

// return_call and return_call_indirect: a call whose results are the function's own, so the
// callee replaces the caller's frame; nothing after it is reachable.
const char* FuncValidator::check_tail_call() {
  const ModuleInfo& m = *m_;
  if (!m.features.tail_call) {
    // In Wasm 2.0 these opcodes do not exist: a format error, as any unknown opcode.
    malformed_ = true;
    message_ = feature_disabled_message(name_of(in_.op), "tail call", "tail-call");
    return message_.c_str();
  }
  bool indirect = in_.op == Opcode::ReturnCallIndirect;
  uint32_t type_index = indirect ? in_.index : m.funcs[in_.index];
  if (type_index >= m.types.size()) return "unknown type";
  const FuncType& t = m.types[type_index];
  if (!all_match(t.results, body_results_)) return "type mismatch";
  if (indirect) {
    popped_.resize(t.params.size() + 1);
    // The element index has the table's address type: i64 for a 64-bit table (memory64).
    if (!pop(valtype_of(m.tables[in_.index2].addr), popped_.back())) return "type mismatch";
    if (!pop_into(t.params, 0)) return "type mismatch";
  } else if (!pop_append(t.params)) {
    return "type mismatch";
  }
  set_unreachable();
  return nullptr;
}

// Parametric, variable, table and reference instructions.
const char* FuncValidator::check_hand_typed() {
  const ModuleInfo& m = *m_;
  constexpr const char* kMismatch = "type mismatch";
  switch (in_.op) {
    case Opcode::Drop:
      popped_.resize(1);
      return pop(kUnknownType, popped_[0]) ? nullptr : kMismatch;
    case Opcode::Select:
    case Opcode::SelectT: {
      if (in_.op == Opcode::SelectT && in_.index != 1) return "invalid result arity";
      if (in_.op == Opcode::SelectT && !known_type(in_.type)) {
        message_ = "unknown type " + std::to_string(ref_type_index(in_.type));
        return message_.c_str();
      }
      ValType want = in_.op == Opcode::SelectT ? in_.type : kUnknownType;
      popped_.resize(3);
      if (!pop(ValType::I32, popped_[2])) return kMismatch;
      if (!pop(want, popped_[1]) || !pop(want, popped_[0])) return kMismatch;
      ValType t1 = popped_[1];
      ValType t2 = popped_[0];
      if (in_.op == Opcode::Select) {
        if (!((num_like(t1) && num_like(t2)) || (vec_like(t1) && vec_like(t2)))) return kMismatch;
        if (t1 != t2 && t1 != kUnknownType && t2 != kUnknownType) return kMismatch;
      }
      // A typed select's result is its annotation, whatever subtypes its operands have.
      push(in_.op == Opcode::SelectT ? in_.type : t1 == kUnknownType ? t2 : t1);
      return nullptr;
    }
    case Opcode::LocalGet:
      if (!local_initialized(in_.index)) return "uninitialized local";
      push(locals_[in_.index]);
      return nullptr;
    case Opcode::LocalSet:
    case Opcode::LocalTee:
      popped_.resize(1);
      if (!pop(locals_[in_.index], popped_[0])) return kMismatch;
      mark_initialized(in_.index);
      if (in_.op == Opcode::LocalTee) push(locals_[in_.index]);
      return nullptr;
    case Opcode::GlobalGet:
      push(m.globals[in_.index].type);
      return nullptr;
    case Opcode::GlobalSet:
      if (!m.globals[in_.index].mut) return "global is immutable";
      popped_.resize(1);
      return pop(m.globals[in_.index].type, popped_[0]) ? nullptr : kMismatch;
    case Opcode::TableGet:
      popped_.resize(1);
      if (!pop(valtype_of(m.tables[in_.index].addr), popped_[0])) return kMismatch;
      push(m.tables[in_.index].elem);
      return nullptr;
    case Opcode::TableSet: {
      ValType elem = m.tables[in_.index].elem;
      popped_.resize(2);
      ValType index = valtype_of(m.tables[in_.index].addr);
      return pop(elem, popped_[1]) && pop(index, popped_[0]) ? nullptr : kMismatch;
    }
    case Opcode::TableGrow: {
      ValType elem = m.tables[in_.index].elem;
      ValType index = valtype_of(m.tables[in_.index].addr);
      popped_.resize(2);
      if (!pop(index, popped_[1]) || !pop(elem, popped_[0])) return kMismatch;
      push(index);
      return nullptr;
    }
    case Opcode::TableFill: {
      ValType elem = m.tables[in_.index].elem;
      ValType index = valtype_of(m.tables[in_.index].addr);
      popped_.resize(3);
      return pop(index, popped_[2]) && pop(elem, popped_[1]) && pop(index, popped_[0]) ? nullptr
                                                                                       : kMismatch;
    }
    case Opcode::ElemDrop:
    case Opcode::DataDrop:
      return nullptr;
    case Opcode::RefNull:
      if (is_exn(in_.type) && !m.features.exceptions) return disabled("exnref", false);
      if (!known_type(in_.type)) {
        message_ = "unknown type " + std::to_string(ref_type_index(in_.type));
        return message_.c_str();
      }
      push(in_.type);
      return nullptr;
    case Opcode::RefIsNull:
      popped_.resize(1);
      if (!pop(kUnknownType, popped_[0])) return kMismatch;
      if (popped_[0] != kUnknownType && !is_ref(popped_[0])) return kMismatch;
      push(ValType::I32);
      return nullptr;
    case Opcode::RefFunc:
      if (in_.index >= m.declared_funcs.size() || !m.declared_funcs[in_.index]) {
        return "undeclared function reference";
      }
      // Typed references: a non-null reference of the function's own type.
      push(m.features.function_references ? ref_to_type(m.funcs[in_.index], false)
                                          : ValType::FuncRef);
      return nullptr;
    default:
      if (is_exception_handling(in_.op)) return check_exceptions();
      if (is_typed_function_reference(in_.op)) return check_typed_references();
      if (is_gc(in_.op)) return check_gc();
      return "illegal opcode";  // every opcode is typed above or by its signature
  }
}

namespace {
// One validator per thread, reused across functions; a nested call (a consumer validating
// another function from inside a callback) gets a fresh one.
thread_local FuncValidator tls_validator;
thread_local bool tls_busy = false;
}  // namespace

Result<void> validate_function(const ModuleInfo& module, uint32_t defined_index,
                               FuncConsumer* consumer) {
  if (defined_index >= module.bodies.size()) return Error::invalid("unknown function");
  if (tls_busy) {
    FuncValidator fresh;
    return fresh.run(module, defined_index, consumer);
  }
  tls_busy = true;
  Result<void> result = tls_validator.run(module, defined_index, consumer);
  tls_busy = false;
  return result;
}

}  // namespace tern
