// A tiny stack machine for the instructions constant expressions allow: 2.0's, extended
// const's integer add, sub and mul (wrapping, as in code), and GC's ref.i31, allocations
// (struct.new, array.new, ...; on the instance's store's heap, engine/runtime/gc_ops.h) and
// the conversions between the extern and any hierarchies.
#include "engine/runtime/const_expr.h"

#include <vector>

#include "engine/runtime/gc_ops.h"
#include "engine/runtime/i31.h"
#include "engine/runtime/slots.h"
#include "engine/runtime/trap.h"

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

Value ref_value(ValType type, uint64_t bits) {
  return Value::ref(type, reinterpret_cast<Ref>(uintptr_t(bits)));
}

// A GC allocation or conversion: pops its operands off `stack` and pushes its result, or
// returns the trap that ended it (the store's heap limit).
std::optional<TrapCode> gc_const_instr(const ConstInstr& in, const Instance& instance,
                                       std::vector<Value>& stack) {
  Store& store = *instance.store;
  uint32_t type_index = uint32_t(in.bits);
  auto pop_to_slots = [&](size_t n) {
    std::vector<uint64_t> slots(2 * n);  // v128 operands take two words
    auto* at = reinterpret_cast<uint8_t*>(slots.data());
    for (size_t i = stack.size() - n; i < stack.size(); ++i) {
      write_slot(at, stack[i]);
      at += slot_bytes(stack[i].type());
    }
    stack.resize(stack.size() - n);
    return slots;
  };
  GcObject* o = nullptr;
  switch (in.op) {
    case Opcode::AnyConvertExtern:
    case Opcode::ExternConvertAny: {
      uint64_t bits = uint64_t(uintptr_t(stack.back().ref()));
      bool to_any = in.op == Opcode::AnyConvertExtern;
      uint64_t out = to_any ? any_convert_extern(store, bits) : extern_convert_any(bits);
      if (bits && !out) return TrapCode::GcHeapExhausted;
      stack.back() = ref_value(ref_type(to_any ? HeapKind::Any : HeapKind::Extern, !bits), out);
      return std::nullopt;
    }
    case Opcode::StructNew:
    case Opcode::StructNewDefault: {
      const GcType& t = *instance.module->gc_types[type_index];
      if (in.op == Opcode::StructNewDefault) {
        o = new_struct(store, t, nullptr);
      } else {
        o = new_struct(store, t, reinterpret_cast<uint8_t*>(pop_to_slots(t.fields.size()).data()));
      }
      break;
    }
    case Opcode::ArrayNew:
    case Opcode::ArrayNewDefault: {
      const GcType& t = *instance.module->gc_types[type_index];
      uint32_t length = uint32_t(stack.back().raw());
      stack.pop_back();
      std::vector<uint64_t> init;
      if (in.op == Opcode::ArrayNew) init = pop_to_slots(1);
      auto trap = new_array(store, t, length,
                            init.empty() ? nullptr : reinterpret_cast<uint8_t*>(init.data()), &o);
      if (trap) return trap;
      break;
    }
    default: {  // array.new_fixed
      const GcType& t = *instance.module->gc_types[type_index];
      auto slots = pop_to_slots(in.index2);
      o = new_array_fixed(store, t, in.index2, reinterpret_cast<uint8_t*>(slots.data()));
      break;
    }
  }
  if (!o) return TrapCode::GcHeapExhausted;
  stack.push_back(
      ref_value(ref_to_type(instance.module->type_ids[type_index], false), uint64_t(uintptr_t(o))));
  return std::nullopt;
}

// The operands an instruction of a constant expression pops (validation typed them).
size_t const_operands(const ConstInstr& in, const Instance& instance) {
  switch (in.op) {
    case Opcode::StructNew:
      return instance.module->gc_types[uint32_t(in.bits)]->fields.size();
    case Opcode::ArrayNew:
      return 2;
    case Opcode::ArrayNewFixed:
      return in.index2;
    case Opcode::StructNewDefault:
      return 0;
    default:
      return 1;
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
      case Opcode::StructNew:
      case Opcode::StructNewDefault:
      case Opcode::ArrayNew:
      case Opcode::ArrayNewDefault:
      case Opcode::ArrayNewFixed:
      case Opcode::AnyConvertExtern:
      case Opcode::ExternConvertAny: {
        bool allocates = in.op != Opcode::AnyConvertExtern && in.op != Opcode::ExternConvertAny;
        if ((allocates && uint32_t(in.bits) >= instance.module->gc_types.size()) ||
            stack.size() < const_operands(in, instance)) {
          return Error::invalid("type mismatch", in.offset);
        }
        if (auto trap = gc_const_instr(in, instance, stack)) {
          return Error::from_trap(make_trap(*trap));
        }
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
