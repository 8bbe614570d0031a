// Garbage collection in function bodies (valid/instructions.rst, appendix/algorithm.rst): the
// struct, array and i31 instructions, ref.eq, ref.test, ref.cast, br_on_cast(_fail) and the
// conversions between the any and extern hierarchies.
#include <string>

#include "engine/validator/allocation.h"
#include "engine/validator/func_validator.h"

namespace tern {

namespace {

constexpr const char* kMismatch = "type mismatch";

}  // namespace

const char* FuncValidator::gc_type(uint32_t index, CompositeKind kind, const TypeDef*& def) {
  const ModuleInfo& m = *m_;
  if (index >= m.types.size()) {
    message_ = "unknown type " + std::to_string(index);
    return message_.c_str();
  }
  if (m.type_kind(index) != kind) {
    message_ = "type mismatch: type " + std::to_string(index) + " is not " +
               (kind == CompositeKind::Struct ? "a struct type" : "an array type");
    return message_.c_str();
  }
  def = &m.type_defs[index];  // a struct or array type: type_defs holds every type
  return nullptr;
}

const char* FuncValidator::gc_segment(ImmKind imm, const FieldType& elem) {
  const ModuleInfo& m = *m_;
  if (imm == ImmKind::TypeData) {
    if (!m.data_count) {
      malformed_ = true;
      return "data count section required";
    }
    if (in_.index2 >= *m.data_count) {
      message_ = "unknown data segment " + std::to_string(in_.index2);
      return message_.c_str();
    }
    // Data becomes numbers or vectors, never references.
    if (is_ref(elem.type) && elem.packed == Packed::None) return "array type is not numeric";
    return nullptr;
  }
  if (in_.index2 >= m.elems.size()) {
    message_ = "unknown elem segment " + std::to_string(in_.index2);
    return message_.c_str();
  }
  return matches(m.elems[in_.index2].type, unpacked(elem)) && elem.packed == Packed::None
             ? nullptr
             : kMismatch;
}

bool FuncValidator::pop_ref_in(HeapKind top, ValType& got) {
  return pop(ref_type(top, true), got);
}

const char* FuncValidator::check_gc() {
  const ModuleInfo& m = *m_;
  const TypeDef* def = nullptr;
  ImmKind imm = info(in_.op).imm;
  // The reference operand to the type of `in_.index`, nullable.
  auto self = [&] { return ref_to_type(in_.index, true); };
  switch (in_.op) {
    case Opcode::RefEq: {
      ValType eqref = ref_type(HeapKind::Eq, true);
      popped_.resize(2);
      if (!pop(eqref, popped_[1]) || !pop(eqref, popped_[0])) return kMismatch;
      push(ValType::I32);
      return nullptr;
    }
    case Opcode::StructNew:
    case Opcode::StructNewDefault:
    case Opcode::ArrayNew:
    case Opcode::ArrayNewDefault:
    case Opcode::ArrayNewFixed: {
      bool is_struct = in_.op == Opcode::StructNew || in_.op == Opcode::StructNewDefault;
      if (const char* msg =
              gc_type(in_.index, is_struct ? CompositeKind::Struct : CompositeKind::Array, def)) {
        return msg;
      }
      if (in_.op == Opcode::ArrayNewFixed) {
        if (auto over = array_new_fixed_over_limit(in_.index2, m.limits)) {
          message_ = std::move(*over);
          limit_ = true;
          return message_.c_str();
        }
      }
      if (const char* msg = allocation_operands(in_.op, *def, in_.index2, operands_)) return msg;
      popped_.resize(operands_.size());
      if (!pop_into(operands_, 0)) return kMismatch;
      push(ref_to_type(in_.index, false));
      return nullptr;
    }
    case Opcode::StructGet:
    case Opcode::StructGetS:
    case Opcode::StructGetU:
    case Opcode::StructSet: {
      if (const char* msg = gc_type(in_.index, CompositeKind::Struct, def)) return msg;
      if (in_.index2 >= def->fields.size()) {
        message_ = "unknown field " + std::to_string(in_.index2);
        return message_.c_str();
      }
      const FieldType& f = def->fields[in_.index2];
      if (in_.op == Opcode::StructSet) {
        if (!f.mut) return "immutable field";
        popped_.resize(2);
        if (!pop(unpacked(f), popped_[1]) || !pop(self(), popped_[0])) return kMismatch;
        return nullptr;
      }
      // A packed field is read with a sign or zero extension, any other without.
      if ((in_.op == Opcode::StructGet) != (f.packed == Packed::None)) return kMismatch;
      popped_.resize(1);
      if (!pop(self(), popped_[0])) return kMismatch;
      push(unpacked(f));
      return nullptr;
    }
    case Opcode::ArrayNewData:
    case Opcode::ArrayNewElem: {
      if (const char* msg = gc_type(in_.index, CompositeKind::Array, def)) return msg;
      if (const char* msg = gc_segment(imm, def->fields[0])) return msg;
      popped_.resize(2);
      if (!pop(ValType::I32, popped_[1]) || !pop(ValType::I32, popped_[0])) return kMismatch;
      push(ref_to_type(in_.index, false));
      return nullptr;
    }
    case Opcode::ArrayGet:
    case Opcode::ArrayGetS:
    case Opcode::ArrayGetU: {
      if (const char* msg = gc_type(in_.index, CompositeKind::Array, def)) return msg;
      const FieldType& elem = def->fields[0];
      if ((in_.op == Opcode::ArrayGet) != (elem.packed == Packed::None)) return kMismatch;
      popped_.resize(2);
      if (!pop(ValType::I32, popped_[1]) || !pop(self(), popped_[0])) return kMismatch;
      push(unpacked(elem));
      return nullptr;
    }
    case Opcode::ArraySet:
    case Opcode::ArrayFill: {
      if (const char* msg = gc_type(in_.index, CompositeKind::Array, def)) return msg;
      const FieldType& elem = def->fields[0];
      if (!elem.mut) return "immutable array";
      bool fill = in_.op == Opcode::ArrayFill;
      popped_.resize(fill ? 4 : 3);
      size_t k = popped_.size();
      if (fill && !pop(ValType::I32, popped_[--k])) return kMismatch;
      if (!pop(unpacked(elem), popped_[--k]) || !pop(ValType::I32, popped_[--k]) ||
          !pop(self(), popped_[--k])) {
        return kMismatch;
      }
      return nullptr;
    }
    case Opcode::ArrayLen:
      popped_.resize(1);
      if (!pop(ref_type(HeapKind::Array, true), popped_[0])) return kMismatch;
      push(ValType::I32);
      return nullptr;
    case Opcode::ArrayCopy: {
      const TypeDef* src = nullptr;
      if (const char* msg = gc_type(in_.index, CompositeKind::Array, def)) return msg;
      if (const char* msg = gc_type(in_.index2, CompositeKind::Array, src)) return msg;
      const FieldType& d = def->fields[0];
      const FieldType& s = src->fields[0];
      if (!d.mut) return "immutable array";
      // The source's elements must fit the destination's storage type.
      if (d.packed != s.packed || !matches(s.type, d.type)) return kMismatch;
      popped_.resize(5);
      if (!pop(ValType::I32, popped_[4]) || !pop(ValType::I32, popped_[3]) ||
          !pop(ref_to_type(in_.index2, true), popped_[2]) || !pop(ValType::I32, popped_[1]) ||
          !pop(self(), popped_[0])) {
        return kMismatch;
      }
      return nullptr;
    }
    case Opcode::ArrayInitData:
    case Opcode::ArrayInitElem: {
      if (const char* msg = gc_type(in_.index, CompositeKind::Array, def)) return msg;
      const FieldType& elem = def->fields[0];
      if (!elem.mut) return "immutable array";
      if (const char* msg = gc_segment(imm, elem)) return msg;
      popped_.resize(4);
      if (!pop(ValType::I32, popped_[3]) || !pop(ValType::I32, popped_[2]) ||
          !pop(ValType::I32, popped_[1]) || !pop(self(), popped_[0])) {
        return kMismatch;
      }
      return nullptr;
    }
    case Opcode::RefTest:
    case Opcode::RefTestNull:
    case Opcode::RefCast:
    case Opcode::RefCastNull: {
      if (!known_type(in_.type)) return unknown_type(in_.type);
      // The operand: any reference of the target's hierarchy.
      popped_.resize(1);
      if (!pop_ref_in(top_of(in_.type, space_), popped_[0])) return kMismatch;
      bool test = in_.op == Opcode::RefTest || in_.op == Opcode::RefTestNull;
      push(test ? ValType::I32 : in_.type);
      return nullptr;
    }
    case Opcode::BrOnCast:
    case Opcode::BrOnCastFail:
      return check_br_on_cast();
    case Opcode::AnyConvertExtern:
    case Opcode::ExternConvertAny: {
      bool to_any = in_.op == Opcode::AnyConvertExtern;
      // Nullable exactly when the operand is; an unknown operand (unreachable code) is the
      // bottom type, which is not.
      bool unknown = vals_.size() == ctrls_.back().height || vals_.back() == kUnknownType;
      popped_.resize(1);
      if (!pop_ref_in(to_any ? HeapKind::Extern : HeapKind::Any, popped_[0])) return kMismatch;
      bool nullable = !unknown && is_nullable(popped_[0]);
      push(ref_type(to_any ? HeapKind::Any : HeapKind::Extern, nullable));
      return nullptr;
    }
    case Opcode::RefI31:
      popped_.resize(1);
      if (!pop(ValType::I32, popped_[0])) return kMismatch;
      push(ref_type(HeapKind::I31, false));
      return nullptr;
    case Opcode::I31GetS:
    case Opcode::I31GetU:
      popped_.resize(1);
      if (!pop(ref_type(HeapKind::I31, true), popped_[0])) return kMismatch;
      push(ValType::I32);
      return nullptr;
    default:
      return "illegal opcode";
  }
}

// br_on_cast l rt1 rt2 branches with rt2 when the cast succeeds and leaves rt1 minus rt2
// otherwise; br_on_cast_fail the other way round. rt2 must match rt1.
const char* FuncValidator::check_br_on_cast() {
  if (in_.index >= ctrls_.size()) {
    message_ = "unknown label " + std::to_string(in_.index);
    return message_.c_str();
  }
  ValType source = in_.type, target = in_.type2;
  if (!known_type(source)) return unknown_type(source);
  if (!known_type(target)) return unknown_type(target);
  if (!matches(target, source)) return kMismatch;
  // What is left when the cast fails: the source, non-null when a null passes the cast.
  ValType rest = is_nullable(target) ? as_non_null(source) : source;
  bool on_fail = in_.op == Opcode::BrOnCastFail;
  ValType branched = on_fail ? rest : target;
  ValType kept = on_fail ? target : rest;
  auto types = label_types(ctrls_[ctrls_.size() - 1 - in_.index]);
  if (types.empty() || !matches(branched, types.back())) return kMismatch;
  popped_.resize(types.size());
  if (!pop(source, popped_.back())) return kMismatch;
  auto prefix = types.first(types.size() - 1);
  if (!pop_into(prefix, 0)) return kMismatch;
  push_all(prefix);
  push(kept);
  return nullptr;
}

const char* FuncValidator::unknown_type(ValType t) {
  message_ = "unknown type " + std::to_string(ref_type_index(t));
  return message_.c_str();
}

}  // namespace tern
