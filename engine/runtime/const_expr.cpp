// A tiny stack machine for the instructions constant expressions allow: 2.0's, extended
// const's integer add, sub and mul (wrapping, as in code), and GC's ref.i31.
#include "engine/runtime/const_expr.h"

#include <vector>

#include "engine/runtime/i31.h"
#include "engine/runtime/slots.h"

namespace tern::rt {

namespace {

// i32/i64 add, sub, mul on the operands' bits, modulo 2^32 or 2^64.
Value integer_arithmetic(Opcode op, const Value& lhs, const Value& rhs) {
  uint64_t a = lhs.raw(), b = rhs.raw();
  switch (op) {
    case Opcode::I32Add:
      return Value::i32(int32_t(uint32_t(a) + uint32_t(b)));
    case Opcode::I32Sub:
      return Value::i32(int32_t(uint32_t(a) - uint32_t(b)));
    case Opcode::I32Mul:
      return Value::i32(int32_t(uint32_t(a) * uint32_t(b)));
    case Opcode::I64Add:
      return Value::i64(int64_t(a + b));
    case Opcode::I64Sub:
      return Value::i64(int64_t(a - b));
    default:
      return Value::i64(int64_t(a * b));
  }
}

}  // namespace

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
      case Opcode::RefI31: {
        if (stack.empty()) return Error::invalid("type mismatch", in.offset);
        uint64_t boxed = i31_box(uint32_t(stack.back().raw()));
        stack.back() =
            Value::ref(ref_type(HeapKind::I31, false), reinterpret_cast<Ref>(uintptr_t(boxed)));
        break;
      }
      case Opcode::I32Add:
      case Opcode::I32Sub:
      case Opcode::I32Mul:
      case Opcode::I64Add:
      case Opcode::I64Sub:
      case Opcode::I64Mul: {
        if (stack.size() < 2) return Error::invalid("type mismatch", in.offset);
        Value rhs = stack.back();
        stack.pop_back();
        stack.back() = integer_arithmetic(in.op, stack.back(), rhs);
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
