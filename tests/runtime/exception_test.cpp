// Exception handling through the embedding API: tags and exception objects, exceptions crossing
// host functions and instances, uncaught exceptions as errors, traps never caught, and the
// tier each such module runs on.
#include "test_util.h"
#include "tests/support/tier.h"

using namespace tern;
using tern::test::must_call;
using tern::test::must_compile;
using tern::test::must_instantiate;

namespace {

// Exports a tag and a function throwing it with its argument.
constexpr const char* kThrower = R"((module
  (tag $e (export "e") (param i32))
  (func (export "throw") (param i32) (throw $e (local.get 0)))))";

// Imports a tag and a function; catches the tag's exceptions (try_table and legacy try).
constexpr const char* kCatcher = R"((module
  (tag $e (import "m" "e") (param i32))
  (func $f (import "m" "throw") (param i32))
  (func (export "catch") (param i32) (result i32)
    (block $h (result i32)
      (try_table (catch $e $h) (call $f (local.get 0)))
      (i32.const -1)))
  (func (export "legacy") (param i32) (result i32)
    (try (result i32)
      (do (call $f (local.get 0)) (i32.const -1))
      (catch $e (i32.add (i32.const 100)))))
  (func (export "catch_all_trap") (result i32)
    (block $h
      (try_table (catch_all $h) (unreachable)))
    (i32.const 1))))";

Tag must_export_tag(const Instance& inst, std::string_view name) {
  auto tag = inst.get_tag(name);
  if (!tag) FAIL("no exported tag " << name);
  return *tag;
}

}  // namespace

TEST_CASE("an uncaught exception is an Exception error with its tag and payload", "[exn]") {
  Engine engine;
  Store store(engine);
  Instance inst = must_instantiate(Linker(), store, must_compile(engine, kThrower));
  auto r = inst.get_func("throw")->call(store, {Value::i32(42)});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind == ErrorKind::Exception);
  CHECK(r.error().message.find("tag \"e\"") != std::string::npos);
  std::optional<Exn> exn = Exn::from_error(r.error());
  REQUIRE(exn);
  CHECK(exn->tag() == must_export_tag(inst, "e"));
  REQUIRE(exn->payload().size() == 1);
  CHECK(exn->payload()[0].i32() == 42);
}

TEST_CASE("an exception crosses instances and is caught by tag identity", "[exn]") {
  Engine engine;
  Store store(engine);
  Instance thrower = must_instantiate(Linker(), store, must_compile(engine, kThrower));
  Linker linker;
  linker.define_instance("m", thrower);
  Instance catcher = must_instantiate(linker, store, must_compile(engine, kCatcher));
  CHECK(must_call(store, catcher, "catch", {Value::i32(7)})[0].i32() == 7);
  CHECK(must_call(store, catcher, "legacy", {Value::i32(7)})[0].i32() == 107);

  // Another instance of the thrower has another tag: nothing catches its exceptions.
  Instance other = must_instantiate(Linker(), store, must_compile(engine, kThrower));
  Linker mixed;
  mixed.define("m", "e", must_export_tag(thrower, "e"));
  mixed.define("m", "throw", *other.get_func("throw"));
  Instance mismatched = must_instantiate(mixed, store, must_compile(engine, kCatcher));
  auto r = mismatched.get_func("catch")->call(store, {Value::i32(1)});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind == ErrorKind::Exception);
  CHECK(Exn::from_error(r.error())->tag() == must_export_tag(other, "e"));
}

TEST_CASE("a host function throws an exception Wasm catches", "[exn]") {
  Engine engine;
  Store store(engine);
  Tag tag = Tag::create(store, FuncType{{ValType::I32}, {}}).value();
  Linker linker;
  linker.define("m", "e", tag);
  linker.define_host("m", "throw", FuncType{{ValType::I32}, {}},
                     [&](Caller& caller, std::span<const Value> args, std::span<Value>) {
                       Value payload = Value::i32(args[0].i32() * 2);
                       return Exn::create(caller.store(), tag, {&payload, 1})->to_error();
                     });
  Instance inst = must_instantiate(linker, store, must_compile(engine, kCatcher));
  CHECK(must_call(store, inst, "catch", {Value::i32(21)})[0].i32() == 42);
  CHECK(must_call(store, inst, "legacy", {Value::i32(1)})[0].i32() == 102);
}

TEST_CASE("a host function catches an exception from a call it makes", "[exn]") {
  Engine engine;
  Store store(engine);
  Instance thrower = must_instantiate(Linker(), store, must_compile(engine, kThrower));
  Func throw_fn = *thrower.get_func("throw");
  Tag tag = must_export_tag(thrower, "e");
  Linker linker;
  linker.define_host("host", "call_and_catch", FuncType{{ValType::I32}, {ValType::I32}},
                     [&](Caller& caller, std::span<const Value> args, std::span<Value> results) {
                       auto r = throw_fn.call(caller.store(), args);
                       std::optional<Exn> exn = r.ok() ? std::nullopt : Exn::from_error(r.error());
                       if (!exn || exn->tag() != tag) return Result<void>(Error::invalid("no"));
                       results[0] = Value::i32(exn->payload()[0].i32() + 1);
                       return Result<void>();
                     });
  Instance inst = must_instantiate(linker, store, must_compile(engine, R"((module
    (func $h (import "host" "call_and_catch") (param i32) (result i32))
    (func (export "run") (param i32) (result i32) (call $h (local.get 0)))))"));
  CHECK(must_call(store, inst, "run", {Value::i32(9)})[0].i32() == 10);
}

TEST_CASE("traps are not caught by catch_all", "[exn]") {
  Engine engine;
  Store store(engine);
  Instance thrower = must_instantiate(Linker(), store, must_compile(engine, kThrower));
  Linker linker;
  linker.define_instance("m", thrower);
  Instance inst = must_instantiate(linker, store, must_compile(engine, kCatcher));
  auto r = inst.get_func("catch_all_trap")->call(store, {});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind == ErrorKind::Trap);
  CHECK(r.error().trap->code == TrapCode::Unreachable);
}

TEST_CASE("exnref values reach the embedder and rethrow with throw_ref", "[exn]") {
  Engine engine;
  Store store(engine);
  Instance inst = must_instantiate(Linker(), store, must_compile(engine, R"((module
    (tag $e (export "e") (param i64 f64))
    (func (export "catch") (result exnref)
      (block $h (result exnref)
        (try_table (catch_all_ref $h) (throw $e (i64.const -5) (f64.const 2.5)))
        (ref.null exn)))
    (func (export "rethrow") (param exnref) (throw_ref (local.get 0)))))"));
  Value ref = must_call(store, inst, "catch")[0];
  std::optional<Exn> exn = Exn::from_value(ref);
  REQUIRE(exn);
  CHECK(exn->payload()[0].i64() == -5);
  CHECK(exn->payload()[1].f64() == 2.5);
  auto r = inst.get_func("rethrow")->call(store, {ref});
  REQUIRE_FALSE(r.ok());
  CHECK(Exn::from_error(r.error()) == exn);
  r = inst.get_func("rethrow")->call(store, {Value::ref(ValType::ExnRef, nullptr)});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().trap->code == TrapCode::NullReference);
}

TEST_CASE("exception handling runs on the JIT where the build has one", "[exn]") {
  for (Tier tier : {Tier::Auto, Tier::Jit, Tier::Interp}) {
    if (tier == Tier::Jit && !Engine::has_tier(Tier::Jit)) continue;
    Engine engine(test::on_tier(Config{}, tier));
    auto m = test::compile_wat(engine, kThrower);
    REQUIRE(m.ok());
    bool jit = tier != Tier::Interp && Engine::has_tier(Tier::Jit);
    CHECK(m->tier() == (jit ? Tier::Jit : Tier::Interp));
  }
}

TEST_CASE("exception handling switched off names the proposal", "[exn]") {
  Config config;
  config.features.exceptions = false;
  Engine engine(config);
  auto m = test::compile_wat(engine, kThrower);
  REQUIRE_FALSE(m.ok());
  CHECK(m.error().kind == ErrorKind::Malformed);
  CHECK(m.error().message.find("exception handling proposal (-W exceptions)") != std::string::npos);
  config.features = WasmFeatures::wasm30();
  config.features.legacy_exceptions = false;
  Engine no_legacy(config);
  auto legacy = test::compile_wat(no_legacy, R"((module (func (try (do)))))");
  REQUIRE_FALSE(legacy.ok());
  CHECK(legacy.error().message.find("legacy exception handling") != std::string::npos);
}
