// Compiling modules: errors with kind and offset, imports/exports/name, reading files.
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "test_util.h"

using namespace tern;
using tern::test::compile_wat;
using tern::test::must_compile;

namespace {

std::string write_temp(const std::string& name, const std::vector<uint8_t>& bytes) {
  auto path = std::filesystem::temp_directory_path() /
              ("tern_runtime_test_" + std::to_string(::getpid()) + "_" + name);
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
  return path.string();
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
  auto binary = text::wat_to_binary(wat);
  REQUIRE(binary.ok());

  for (const auto& [name, contents] : {std::pair{std::string("m.wasm"), *binary},
                                       std::pair{std::string("m.wat"), bytes_of(wat)}}) {
    INFO(name);
    std::string path = write_temp(name, contents);
    auto m = Module::from_file(engine, path);
    std::filesystem::remove(path);
    REQUIRE(m.ok());
    Store store(engine);
    auto inst = Linker().instantiate(store, *m);
    REQUIRE(inst.ok());
    auto r = inst->get_func("seven")->call(store, {});
    REQUIRE(r.ok());
    CHECK((*r)[0].i32() == 7);
  }

  std::string bad_text = write_temp("bad.wat", bytes_of("(module (func (i32.const)"));
  auto bad = Module::from_file(engine, bad_text);
  std::filesystem::remove(bad_text);
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
  std::string path = write_temp("long.wat", bytes_of(wat));
  auto m = Module::from_file(engine, path);
  std::filesystem::remove(path);
  REQUIRE(m.ok());
  Store store(engine);
  auto inst = Linker().instantiate(store, *m);
  REQUIRE(inst.ok());
  auto r = inst->get_func("last")->call(store, {});
  REQUIRE(r.ok());
  CHECK((*r)[0].i32() == 42);
}
