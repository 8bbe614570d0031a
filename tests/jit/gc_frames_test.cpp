// The collector's walk of compiled frames (jit/common/frame_roots.h): GC references that only a
// JIT frame holds survive collections that happen while it is stopped at a call. The objects
// come from a GC module; the frames holding them are a scalar module's, which the JIT compiles.
// Every run collects at each allocation (gc stress), and the churn between taking a reference
// and reading it back reuses the cells of anything freed, so a reference the walk missed reads
// a different value or fails its cast.
#include <catch2/catch.hpp>

#include "tern/tern.h"
#include "tests/support/wat.h"

namespace tern {
namespace {

using test::must_compile;

// Boxes, read back checked, and churn: boxes of the same size that replace freed ones.
constexpr const char* kObjects = R"(
  (module
    (type $box (struct (field i32)))
    (func (export "make") (param i32) (result anyref) (struct.new $box (local.get 0)))
    (func (export "read") (param anyref) (result i32)
      (struct.get $box 0 (ref.cast (ref $box) (local.get 0))))
    (func (export "churn") (param $n i32)
      (loop $l
        (drop (struct.new $box (i32.const -1)))
        (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))))
)";

// Calls a function of the frames module from outside it, on the same context (an import of
// another JIT module: a nested activation whose caller waits in a helper).
constexpr const char* kRelay = R"(
  (module
    (import "objects" "churn" (func $churn (param i32)))
    (func (export "churn") (param i32) (call $churn (local.get 0))))
)";

// References held in every place a compiled frame keeps one across a call.
constexpr const char* kFrames = R"(
  (module
    (import "objects" "make" (func $make (param i32) (result anyref)))
    (import "objects" "read" (func $read (param anyref) (result i32)))
    (import "objects" "churn" (func $churn (param i32)))
    (import "relay" "churn" (func $relay_churn (param i32)))
    (import "host" "reenter" (func $reenter (param i32)))
    (func $churn_then (param $v i32) (result i32)
      (call $churn (i32.const 40))
      (local.get $v))
    (func $read_second (param $zero i32) (param $r anyref) (result i32)
      (i32.add (local.get $zero) (call $read (local.get $r))))
    (func $read_first (param $r anyref) (param $zero i32) (result i32)
      (i32.add (local.get $zero) (call $read (local.get $r))))
    ;; In a local, across an import that collects.
    (func (export "local") (result i32)
      (local $r anyref)
      (local.set $r (call $make (i32.const 11)))
      (call $churn (i32.const 40))
      (call $read (local.get $r)))
    ;; On the operand stack, while a compiled callee collects.
    (func (export "stack") (result i32)
      (call $read_first (call $make (i32.const 12)) (call $churn_then (i32.const 0))))
    ;; Two frames out: a local of the caller of the caller of the collecting call.
    (func $middle (result i32) (call $churn_then (i32.const 0)))
    (func (export "caller") (result i32)
      (local $r anyref)
      (local.set $r (call $make (i32.const 13)))
      (drop (call $middle))
      (i32.add (call $middle) (call $read (local.get $r))))
    ;; Several at once, locals and operands, with scalars between them.
    (func (export "many") (result i32)
      (local $a anyref) (local $x i64) (local $b anyref)
      (local.set $a (call $make (i32.const 100)))
      (local.set $x (i64.const -1))
      (local.set $b (call $make (i32.const 20)))
      (i32.add
        (call $read_second (i32.const 0) (call $make (i32.const 3)))
        (i32.add (call $read_first (call $make (i32.const 4)) (call $churn_then (i32.const 0)))
                 (i32.add (call $read (local.get $a))
                          (i32.add (call $read (local.get $b)) (i32.wrap_i64 (local.get $x)))))))
    ;; While a nested activation on the same context collects.
    (func (export "nested") (result i32)
      (local $r anyref)
      (local.set $r (call $make (i32.const 14)))
      (call $relay_churn (i32.const 40))
      (call $read (local.get $r)))
    ;; While the host re-enters this module (a new context) and that collects.
    (func (export "reentered") (result i32)
      (local $r anyref)
      (local.set $r (call $make (i32.const 15)))
      (call $reenter (i32.const 40))
      (call $read (local.get $r)))
    (func (export "inner") (param $n i32) (result i32)
      (local $r anyref)
      (local.set $r (call $make (i32.const 16)))
      (call $churn (local.get $n))
      (call $read (local.get $r))))
)";

struct FramesRun {
  Engine engine{Config{.tier = Tier::Auto}};
  Store store{engine};
  Instance frames;
  int32_t inner_result = 0;

  explicit FramesRun(bool through_cache) {
    store.set_gc_stress(true);
    Linker linker;
    auto objects = linker.instantiate(store, must_compile(engine, kObjects));
    REQUIRE(objects.ok());
    linker.define_instance("objects", *objects);
    Module relay_module = must_compile(engine, kRelay);
    REQUIRE(relay_module.tier() == Tier::Jit);
    auto relay = linker.instantiate(store, relay_module);
    REQUIRE(relay.ok());
    linker.define_instance("relay", *relay);
    linker.define_host("host", "reenter", FuncType{{ValType::I32}, {}},
                       [this](Caller& caller, std::span<const Value> args, std::span<Value>) {
                         auto inner = std::get<Func>(*caller.get_export("inner"));
                         auto r = inner.call(caller.store(), {args[0]});
                         if (!r.ok()) return Result<void>(r.take_error());
                         inner_result = r->at(0).i32();
                         return Result<void>();
                       });
    Module m = must_compile(engine, kFrames);
    if (through_cache) {
      // The safepoints come back from the compiled-module cache.
      auto bytes = m.serialize();
      REQUIRE(bytes.ok());
      auto loaded = Module::deserialize(engine, *bytes);
      REQUIRE(loaded.ok());
      m = std::move(*loaded);
    }
    REQUIRE(m.tier() == Tier::Jit);
    auto inst = linker.instantiate(store, m);
    REQUIRE(inst.ok());
    frames = *inst;
  }
  int32_t i32(std::string_view name) {
    auto r = std::get<Func>(*frames.get_export(name)).call(store, {});
    if (!r.ok()) FAIL(name << ": " << r.error().to_string());
    REQUIRE(r->size() == 1);
    return r->at(0).i32();
  }
};

TEST_CASE("references only compiled frames hold survive collections", "[jit][gc]") {
  const bool through_cache = GENERATE(false, true);
  INFO("through the cache " << through_cache);
  FramesRun run(through_cache);
  CHECK(run.i32("local") == 11);
  CHECK(run.i32("stack") == 12);
  CHECK(run.i32("caller") == 13);
  CHECK(run.i32("many") == 100 + 20 + 3 + 4 - 1);
  CHECK(run.i32("nested") == 14);
  CHECK(run.i32("reentered") == 15);
  CHECK(run.inner_result == 16);
  // The churn collected, and freed what it dropped.
  GcStats s = run.store.gc_stats();
  CHECK(s.collections > 100);
  CHECK(s.freed_bytes > 0);
}

}  // namespace
}  // namespace tern
