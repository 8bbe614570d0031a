// Constant expressions evaluated against a partially built instance.
#include "engine/runtime/const_expr.h"

#include <catch2/catch.hpp>

#include "engine/runtime/alloc.h"
#include "engine/runtime/api_access.h"

using namespace tern;

namespace {
ConstExpr expr(ConstInstr in) {
  return ConstExpr{{in}, 0};
}
}  // namespace

TEST_CASE("constant expressions produce typed values", "[const_expr]") {
  Engine engine;
  Store store(engine);
  rt::Store& s = detail::Access::store(store);
  rt::Instance inst;
  inst.store = &s;
  inst.globals.push_back(rt::alloc_global(s, GlobalType{ValType::F32, false}, Value::f32(1.5f)));
  rt::FuncInstance func;
  inst.funcs.push_back(&func);

  auto i32 = rt::eval_const_expr(expr({Opcode::I32Const, 0xFFFFFFFF}), inst);
  REQUIRE(i32.ok());
  CHECK(i32->type() == ValType::I32);
  CHECK(i32->i32() == -1);

  auto i64 = rt::eval_const_expr(expr({Opcode::I64Const, 0x8000000000000000}), inst);
  CHECK(i64->i64() == INT64_MIN);

  auto f64 = rt::eval_const_expr(expr({Opcode::F64Const, 0x7FF8000000000001}), inst);
  CHECK(f64->type() == ValType::F64);
  CHECK(f64->f64_bits() == 0x7FF8000000000001);

  ConstInstr null{Opcode::RefNull};
  null.ref_type = ValType::ExternRef;
  auto ref_null = rt::eval_const_expr(expr(null), inst);
  CHECK(ref_null->type() == ValType::ExternRef);
  CHECK(ref_null->is_null());

  auto ref_func = rt::eval_const_expr(expr({Opcode::RefFunc, 0}), inst);
  CHECK(ref_func->type() == ValType::FuncRef);
  CHECK(ref_func->ref() == &func);

  auto global = rt::eval_const_expr(expr({Opcode::GlobalGet, 0}), inst);
  CHECK(global->type() == ValType::F32);
  CHECK(global->f32() == 1.5f);

  // Indices past what is built, and non-constant instructions, are errors rather than reads.
  CHECK_FALSE(rt::eval_const_expr(expr({Opcode::GlobalGet, 1}), inst).ok());
  CHECK_FALSE(rt::eval_const_expr(expr({Opcode::RefFunc, 7}), inst).ok());
  CHECK_FALSE(rt::eval_const_expr(expr({Opcode::I32Add}), inst).ok());
  CHECK_FALSE(rt::eval_const_expr(expr({Opcode::I32DivS}), inst).ok());
  CHECK_FALSE(rt::eval_const_expr(ConstExpr{}, inst).ok());
}

TEST_CASE("extended constant expressions wrap like the instructions", "[const_expr]") {
  rt::Instance inst;
  auto eval = [&](std::vector<ConstInstr> instrs) {
    auto v = rt::eval_const_expr(ConstExpr{std::move(instrs), 0}, inst);
    REQUIRE(v.ok());
    return *v;
  };
  CHECK(eval({{Opcode::I32Const, 0x7FFFFFFF}, {Opcode::I32Const, 1}, {Opcode::I32Add}}).i32() ==
        INT32_MIN);
  CHECK(eval({{Opcode::I32Const, 3}, {Opcode::I32Const, 5}, {Opcode::I32Sub}}).i32() == -2);
  CHECK(eval({{Opcode::I32Const, 0x10000}, {Opcode::I32Const, 0x10000}, {Opcode::I32Mul}}).i32() ==
        0);
  Value i64 = eval({{Opcode::I64Const, 6},
                    {Opcode::I64Const, 7},
                    {Opcode::I64Mul},
                    {Opcode::I64Const, uint64_t(-50)},
                    {Opcode::I64Sub}});
  CHECK(i64.type() == ValType::I64);
  CHECK(i64.i64() == 92);
  CHECK(eval({{Opcode::I64Const, UINT64_MAX}, {Opcode::I64Const, 2}, {Opcode::I64Add}}).i64() == 1);
}
