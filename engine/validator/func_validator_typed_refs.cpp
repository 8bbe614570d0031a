// Typed function references in function bodies (valid/instructions.rst): call_ref,
// return_call_ref, ref.as_non_null, br_on_null and br_on_non_null; and the local
// initialisation rule for the non-defaultable locals they bring.
#include <string>

#include "engine/features.h"
#include "engine/validator/func_validator.h"

namespace tern {

void FuncValidator::init_locals(size_t num_params) {
  unset_.clear();
  set_log_.clear();
  for (size_t i = num_params; i < locals_.size(); ++i) {
    if (!is_ref(locals_[i]) || is_nullable(locals_[i])) continue;
    if (unset_.empty()) unset_.assign(locals_.size(), false);
    unset_[i] = true;
  }
}

const char* FuncValidator::check_typed_references_enabled() {
  if (!is_typed_function_reference(in_.op) || m_->features.function_references) return nullptr;
  malformed_ = true;
  message_ =
      feature_disabled_message(name_of(in_.op), "typed function references", "function-references");
  return message_.c_str();
}

const char* FuncValidator::check_typed_references() {
  const ModuleInfo& m = *m_;
  constexpr const char* kMismatch = "type mismatch";
  // Pops any reference into `got` (kUnknownType in unreachable code).
  auto pop_ref = [&](ValType& got) {
    return pop(kUnknownType, got) && (got == kUnknownType || is_ref(got));
  };
  switch (in_.op) {
    case Opcode::RefAsNonNull:
      popped_.resize(1);
      if (!pop_ref(popped_[0])) return kMismatch;
      push(popped_[0] == kUnknownType ? kUnknownType : as_non_null(popped_[0]));
      return nullptr;
    case Opcode::BrOnNull: {
      auto types = label_types(ctrls_[ctrls_.size() - 1 - in_.index]);
      popped_.resize(types.size() + 1);
      if (!pop_ref(popped_.back())) return kMismatch;
      if (!pop_into(types, 0)) return kMismatch;
      push_all(types);
      ValType ref = popped_.back();
      push(ref == kUnknownType ? kUnknownType : as_non_null(ref));
      return nullptr;
    }
    case Opcode::BrOnNonNull: {
      auto types = label_types(ctrls_[ctrls_.size() - 1 - in_.index]);
      if (types.empty() || !is_ref(types.back())) return kMismatch;
      popped_.resize(types.size());
      if (!pop_ref(popped_.back())) return kMismatch;
      ValType ref = popped_.back();
      if (ref != kUnknownType && !matches(as_non_null(ref), types.back())) return kMismatch;
      auto rest = types.first(types.size() - 1);
      if (!pop_into(rest, 0)) return kMismatch;
      push_all(rest);
      return nullptr;
    }
    case Opcode::CallRef:
    case Opcode::ReturnCallRef: {
      const FuncType& t = m.types[in_.index];
      bool tail = in_.op == Opcode::ReturnCallRef;
      if (tail && !m.features.tail_call) {
        malformed_ = true;
        message_ = feature_disabled_message(name_of(in_.op), "tail call", "tail-call");
        return message_.c_str();
      }
      if (tail && !all_match(t.results, body_results_)) return kMismatch;
      popped_.resize(t.params.size() + 1);
      if (!pop(ref_to_type(in_.index, true), popped_.back())) return kMismatch;
      if (!pop_into(t.params, 0)) return kMismatch;
      if (tail) {
        set_unreachable();
      } else {
        push_all(t.results);
      }
      return nullptr;
    }
    default:
      return "illegal opcode";
  }
}

}  // namespace tern
