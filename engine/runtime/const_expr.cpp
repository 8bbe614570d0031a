// A tiny stack machine for the instructions 2.0 allows in constant expressions.
#include "engine/runtime/const_expr.h"

#include <vector>

#include "engine/runtime/slots.h"

namespace tern::rt {

Result<Value> eval_const_expr(const ConstExpr& expr, const Instance& instance) {
  std::vector<Value> stack;
  for (const ConstInstr& in : expr.instrs) {
    switch (in.op) {
      case Opcode::I32Const:
        stack.push_back(Value::i32(int32_t(uint32_t(in.bits))));
        break;
      case Opcode::I64Const:
        stack.push_back(Value::i64(int64_t(in.bits)));
        break;
      case Opcode::F32Const:
        stack.push_back(Value::f32_bits(uint32_t(in.bits)));
        break;
      case Opcode::F64Const:
        stack.push_back(Value::f64_bits(in.bits));
        break;
      case Opcode::V128Const:
        stack.push_back(Value::v128(in.v128));
        break;
      case Opcode::RefNull:
        stack.push_back(Value::ref(in.ref_type, nullptr));
        break;
      case Opcode::RefFunc:
        if (in.bits >= instance.funcs.size()) return Error::invalid("unknown function", in.offset);
        stack.push_back(Value::funcref(instance.funcs[in.bits]));
        break;
      case Opcode::GlobalGet: {
        if (in.bits >= instance.globals.size()) return Error::invalid("unknown global", in.offset);
        const GlobalInstance* g = instance.globals[in.bits];
        stack.push_back(read_slot(g->type.type, &g->value));
        break;
      }
      default:
        return Error::invalid("constant expression required", in.offset);
    }
  }
  if (stack.size() != 1) return Error::invalid("type mismatch", expr.offset);
  return stack.back();
}

}  // namespace tern::rt
