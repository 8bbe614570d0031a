#include "spec-tests/spectest_host.h"

#include <fmt/core.h>

#include <string>

namespace tern::spec {

namespace {

struct PrintFunc {
  const char* name;
  std::vector<ValType> params;
};

Result<void> define_global(Linker& linker, Store& store, const char* name, Value value) {
  auto global = Global::create(store, GlobalType{value.type(), false}, value);
  if (!global) return global.take_error();
  linker.define("spectest", name, *global);
  return {};
}

}  // namespace

Result<void> define_spectest(Linker& linker, Store& store, bool verbose) {
  const PrintFunc print_funcs[] = {
      {"print", {}},
      {"print_i32", {ValType::I32}},
      {"print_i64", {ValType::I64}},
      {"print_f32", {ValType::F32}},
      {"print_f64", {ValType::F64}},
      {"print_i32_f32", {ValType::I32, ValType::F32}},
      {"print_f64_f64", {ValType::F64, ValType::F64}},
  };
  for (const PrintFunc& f : print_funcs) {
    std::string name = f.name;
    linker.define_host(
        "spectest", name, FuncType{f.params, {}},
        [verbose, name](Caller&, std::span<const Value> args, std::span<Value>) -> Result<void> {
          if (!verbose) return {};
          std::string line = name + ":";
          for (const Value& v : args) line += " " + to_string(v);
          fmt::print("{}\n", line);
          return {};
        });
  }
  TERN_TRY(define_global(linker, store, "global_i32", Value::i32(666)));
  TERN_TRY(define_global(linker, store, "global_i64", Value::i64(666)));
  TERN_TRY(define_global(linker, store, "global_f32", Value::f32(666.6f)));
  TERN_TRY(define_global(linker, store, "global_f64", Value::f64(666.6)));

  auto table = Table::create(store, TableType{ValType::FuncRef, Limits{10, 20}});
  if (!table) return table.take_error();
  linker.define("spectest", "table", *table);
  // The memory64 scripts' i64 table (the reference interpreter's spectest module).
  auto table64 = Table::create(store, TableType{ValType::FuncRef, Limits{10, 20}, AddrType::I64});
  if (!table64) return table64.take_error();
  linker.define("spectest", "table64", *table64);

  auto memory = Memory::create(store, MemoryType{Limits{1, 2}});
  if (!memory) return memory.take_error();
  linker.define("spectest", "memory", *memory);
  return {};
}

}  // namespace tern::spec
