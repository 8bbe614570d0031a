// Compiling modules: errors with kind and offset, imports/exports/name, reading files.
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "test_util.h"

using namespace tern;
using tern::test::compile_wat;
using tern::test::must_call;
using tern::test::must_compile;
using tern::test::must_encode;
using tern::test::must_instantiate;

namespace {

// Module::from_file on a temporary file `name` holding `bytes`, removed afterwards.
Result<Module> from_temp_file(Engine& engine, const std::string& name,
                              const std::vector<uint8_t>& bytes) {
  auto path = std::filesystem::temp_directory_path() /
              ("tern_runtime_test_" + std::to_string(::getpid()) + "_" + name);
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
  auto module = Module::from_file(engine, path.string());
  std::filesystem::remove(path);
  return module;
}

std::vector<uint8_t> bytes_of(std::string_view s) {
  return {s.begin(), s.end()};
}

}  // namespace

TEST_CASE("malformed modules fail with the offset of the bad byte", "[module]") {
  Engine engine;
  const uint8_t bad_magic[] = {0x00, 0x61, 0x73, 0x6E, 0x01, 0x00, 0x00, 0x00};
  auto m = Module::compile(engine, bad_magic);
  REQUIRE_FALSE(m.ok());
  CHECK(m.error().kind == ErrorKind::Malformed);
  REQUIRE(m.error().offset.has_value());

  // A type section that promises more bytes than there are.
  const uint8_t truncated[] = {0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01};
  auto t = Module::compile(engine, truncated);
  REQUIRE_FALSE(t.ok());
  CHECK(t.error().kind == ErrorKind::Malformed);
  REQUIRE(t.error().offset.has_value());
  CHECK(*t.error().offset >= 8);
}

TEST_CASE("invalid function bodies fail with kind Invalid and an offset", "[module]") {
  Engine engine;
  auto m = compile_wat(engine, "(module (func (result i32) (i64.const 0)))");
  REQUIRE_FALSE(m.ok());
  CHECK(m.error().kind == ErrorKind::Invalid);
  CHECK(m.error().message.find("type mismatch") != std::string::npos);
  REQUIRE(m.error().offset.has_value());
  CHECK(*m.error().offset > 8);

  auto bad_export = compile_wat(engine, "(module (func (export \"a\")) (func (export \"a\")))");
  REQUIRE_FALSE(bad_export.ok());
  CHECK(bad_export.error().kind == ErrorKind::Invalid);
}

TEST_CASE("imports and exports are listed in module order with their types", "[module]") {
  Engine engine;
  Module m = must_compile(engine, R"((module
    (import "env" "f" (func (param i32) (result i64)))
    (import "env" "t" (table 1 2 funcref))
    (import "env" "m" (memory 1))
    (import "env" "g" (global (mut f32)))
    (func (export "run") (param f64))
    (export "mem" (memory 0))
    (global (export "answer") i32 (i32.const 42))))");

  auto imports = m.imports();
  REQUIRE(imports.size() == 4);
  CHECK(imports[0].module == "env");
  CHECK(imports[0].name == "f");
  CHECK(imports[0].kind == ExternKind::Func);
  CHECK(imports[0].func == FuncType{{ValType::I32}, {ValType::I64}});
  CHECK(imports[1].kind == ExternKind::Table);
  CHECK(imports[1].table == TableType{ValType::FuncRef, Limits{1, 2}});
  CHECK(imports[2].kind == ExternKind::Memory);
  CHECK(imports[2].memory.limits.min == 1);
  CHECK(imports[3].kind == ExternKind::Global);
  CHECK(imports[3].global == GlobalType{ValType::F32, true});

  auto exports = m.exports();
  REQUIRE(exports.size() == 3);
  CHECK(exports[0].name == "run");
  CHECK(exports[0].kind == ExternKind::Func);
  CHECK(exports[0].func == FuncType{{ValType::F64}, {}});
  CHECK(exports[1].name == "mem");
  CHECK(exports[1].kind == ExternKind::Memory);
  CHECK(exports[2].kind == ExternKind::Global);
}

TEST_CASE("the module name comes from the name section", "[module]") {
  Engine engine;
  const uint8_t named[] = {0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00,  // header
                           0x00, 0x0B, 0x04, 'n',  'a',  'm',  'e',         // custom "name"
                           0x00, 0x04, 0x03, 'm',  'o',  'd'};              // module name "mod"
  auto m = Module::compile(engine, named);
  REQUIRE(m.ok());
  CHECK(m->name() == "mod");
  CHECK(must_compile(engine, "(module)").name().empty());
}

TEST_CASE("Module::from_file reads binary and text modules", "[module]") {
  Engine engine;
  auto wat = "(module (func (export \"seven\") (result i32) (i32.const 7)))";
  for (const auto& [name, contents] : {std::pair{std::string("m.wasm"), must_encode(wat)},
                                       std::pair{std::string("m.wat"), bytes_of(wat)}}) {
    INFO(name);
    auto m = from_temp_file(engine, name, contents);
    REQUIRE(m.ok());
    Store store(engine);
    Instance inst = must_instantiate(Linker(), store, *m);
    CHECK(must_call(store, inst, "seven")[0].i32() == 7);
  }

  auto bad = from_temp_file(engine, "bad.wat", bytes_of("(module (func (i32.const)"));
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().kind == ErrorKind::Malformed);

  auto missing = Module::from_file(engine, "/nonexistent/dir/missing.wasm");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().kind == ErrorKind::Io);
}

TEST_CASE("Module::from_file reads a file spanning several read blocks whole", "[module]") {
  Engine engine;
  // 100 KB of comment first, so the export at the very end is only seen if nothing is lost.
  std::string wat = "(module\n" + std::string(100'000, ' ') + ";; padding\n" +
                    "(func (export \"last\") (result i32) (i32.const 42)))";
  auto m = from_temp_file(engine, "long.wat", bytes_of(wat));
  REQUIRE(m.ok());
  Store store(engine);
  Instance inst = must_instantiate(Linker(), store, *m);
  CHECK(must_call(store, inst, "last")[0].i32() == 42);
}
