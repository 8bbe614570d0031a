// Exception handling in function bodies: throw, throw_ref and try_table (valid/instructions.rst)
// and the legacy encoding's try, catch, catch_all, delegate and rethrow (the legacy exception
// handling proposal's validation rules).
#include <algorithm>
#include <string>

#include "engine/validator/func_validator.h"

namespace tern {
namespace {

constexpr ValType kExnRef[] = {ValType::ExnRef};

}  // namespace

const char* FuncValidator::check_exceptions_enabled() {
  switch (in_.op) {
    case Opcode::Throw:
    case Opcode::ThrowRef:
    case Opcode::TryTable:
      return m_->features.exceptions ? nullptr : disabled(name_of(in_.op).data(), false);
    case Opcode::Try:
    case Opcode::Catch:
    case Opcode::CatchAll:
    case Opcode::Delegate:
    case Opcode::Rethrow:
      return m_->features.legacy_exceptions ? nullptr : disabled(name_of(in_.op).data(), true);
    default:
      return nullptr;
  }
}

const char* FuncValidator::check_exceptions() {
  const ModuleInfo& m = *m_;
  switch (in_.op) {
    case Opcode::Throw:
      if (!pop_append(m.types[m.tags[in_.index]].params)) return "type mismatch";
      set_unreachable();
      return nullptr;
    case Opcode::ThrowRef:
      if (!pop_append(kExnRef)) return "type mismatch";
      set_unreachable();
      return nullptr;
    case Opcode::TryTable:
      if (const char* msg = check_catch_clauses()) return msg;
      [[fallthrough]];
    case Opcode::Try:
      if (!pop_append(in_.block.params)) return "type mismatch";
      push_ctrl(in_.op, block_type(), in_.block);
      return nullptr;
    case Opcode::Catch:
    case Opcode::CatchAll:
    case Opcode::Delegate: {
      Ctrl c = ctrls_.back();
      // catch_all ends the list of handlers; delegate replaces it.
      bool after_try = c.op == Opcode::Try || (c.op == Opcode::Catch && in_.op != Opcode::Delegate);
      if (!after_try) {
        malformed_ = true;
        return "illegal opcode";
      }
      BlockSig block = sig(c);
      if (!pop_append(block.results)) return "type mismatch";
      if (vals_.size() != c.height) return "type mismatch";
      ctrls_.pop_back();
      reset_locals();
      if (in_.op == Opcode::Delegate) {
        if (in_.index >= ctrls_.size()) {
          message_ = "unknown label " + std::to_string(in_.index);
          return message_.c_str();
        }
        for (ValType t : block.results) {
          pushed_.push_back(t);
          vals_.push_back(t);
        }
        return nullptr;
      }
      // The handler's body starts from the block's height with the payload as its operands.
      ctrls_.push_back(Ctrl{c.block_type, uint32_t(vals_.size()), in_.op, false});
      if (in_.op == Opcode::Catch) push_all(m.types[m.tags[in_.index]].params);
      return nullptr;
    }
    case Opcode::Rethrow: {
      const Ctrl& target = ctrls_[ctrls_.size() - 1 - in_.index];
      if (target.op != Opcode::Catch && target.op != Opcode::CatchAll) {
        return "invalid rethrow label";
      }
      set_unreachable();
      return nullptr;
    }
    default:
      return "illegal opcode";
  }
}

// try_table's clauses name labels outside the try_table: each label's types must be what the
// clause delivers (the tag's params, then an exnref for the _ref forms).
const char* FuncValidator::check_catch_clauses() {
  const ModuleInfo& m = *m_;
  for (size_t i = 0; i + kCatchUnits <= in_.targets.size(); i += kCatchUnits) {
    auto kind = CatchKind(in_.targets[i]);
    uint32_t tag = in_.targets[i + 1];
    uint32_t label = in_.targets[i + 2];
    std::vector<ValType> delivered;
    if (kind == CatchKind::Catch || kind == CatchKind::CatchRef) {
      if (tag >= m.tags.size()) {
        message_ = "unknown tag " + std::to_string(tag);
        return message_.c_str();
      }
      const FuncType& t = m.types[m.tags[tag]];
      delivered.assign(t.params.begin(), t.params.end());
    }
    if (kind == CatchKind::CatchRef || kind == CatchKind::CatchAllRef) {
      delivered.push_back(as_non_null(ValType::ExnRef));  // a caught exception is never null
    }
    if (label >= ctrls_.size()) {
      message_ = "unknown label " + std::to_string(label);
      return message_.c_str();
    }
    auto types = label_types(ctrls_[ctrls_.size() - 1 - label]);
    if (!all_match(delivered, types)) return "type mismatch";
  }
  return nullptr;
}

}  // namespace tern
