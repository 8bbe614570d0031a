#include "engine/validator/allocation.h"

namespace tern {

const char* allocation_operands(Opcode op, const TypeDef& d, uint32_t count,
                                std::vector<ValType>& out) {
  out.clear();
  switch (op) {
    case Opcode::StructNew:
      for (const FieldType& f : d.fields) out.push_back(unpacked(f));
      return nullptr;
    case Opcode::ArrayNew:
      out = {unpacked(d.fields[0]), ValType::I32};
      return nullptr;
    case Opcode::ArrayNewFixed:
      out.assign(count, unpacked(d.fields[0]));
      return nullptr;
    case Opcode::StructNewDefault:
    case Opcode::ArrayNewDefault:
      for (const FieldType& f : d.fields) {
        if (!defaultable(f.type)) return "type mismatch: field is not defaultable";
      }
      if (op == Opcode::ArrayNewDefault) out.push_back(ValType::I32);
      return nullptr;
    default:
      return "illegal opcode";
  }
}

std::optional<std::string> array_new_fixed_over_limit(uint32_t count, const ModuleLimits& limits) {
  if (count <= limits.array_new_fixed_operands) return std::nullopt;
  return "array.new_fixed of " + std::to_string(count) +
         " operands exceeds the limit ModuleLimits::array_new_fixed_operands = " +
         std::to_string(limits.array_new_fixed_operands);
}

}  // namespace tern
