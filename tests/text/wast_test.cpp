#include "engine/text/wast.h"

#include <catch2/catch.hpp>

using namespace tern;
using namespace tern::text;

TEST_CASE("script commands and their parts", "[text][wast]") {
  auto script = parse_wast(R"wast(
(module $M (func (export "f") (param i32) (result i32) local.get 0))
(module binary "\00asm" "\01\00\00\00")
(register "m" $M)
(invoke "f" (i32.const 7))
(get $M "g")
(assert_return (invoke $M "f" (i32.const -1)) (i32.const 0xffffffff))
(assert_return (invoke "h" (f32.const 1) (ref.null extern) (ref.extern 3))
               (f32.const nan:canonical) (f64.const nan:arithmetic) (ref.func) (ref.null func)
               (v128.const f32x4 1 nan:canonical -0 nan:arithmetic))
(assert_trap (invoke "t") "unreachable")
(assert_trap (module (func unreachable) (start 0)) "unreachable")
(assert_exhaustion (invoke "loop") "call stack exhausted")
(assert_invalid (module (func (result i32))) "type mismatch")
(assert_malformed (module quote "(func i32.bogus)") "unknown operator")
(assert_unlinkable (module (import "x" "y" (func))) "unknown import")
(assert_uninstantiable (module (func unreachable) (start 0)) "unreachable")
(assert_invalid (module (func $f) (func $f)) "duplicate func")
)wast");
  REQUIRE(script.ok());
  const auto& c = script->commands;
  REQUIRE(c.size() == 15);
  CHECK(c[0].kind == Command::Kind::Module);
  CHECK(c[0].module.id == "M");
  CHECK(c[0].line == 2);
  CHECK_FALSE(c[0].module.binary.empty());
  CHECK(c[1].module.form == ScriptModule::Form::Binary);
  CHECK(c[1].module.binary.size() == 8);
  CHECK(c[2].kind == Command::Kind::Register);
  CHECK(c[2].register_name == "m");
  CHECK(c[2].register_id == "M");
  CHECK(c[3].kind == Command::Kind::Action);
  CHECK(c[3].action.args.size() == 1);
  CHECK(c[3].action.args[0].i32() == 7);
  CHECK(c[4].action.kind == Action::Kind::Get);
  CHECK(c[4].action.module_id == "M");
  CHECK(c[5].expected[0].value.i32() == -1);

  const Command& r = c[6];
  REQUIRE(r.action.args.size() == 3);
  CHECK(r.action.args[1].type() == ValType::ExternRef);
  CHECK(r.action.args[1].is_null());
  CHECK(r.action.args[2].ref() == extern_ref(3).ref());
  REQUIRE(r.expected.size() == 5);
  CHECK(r.expected[0].nan == NanKind::Canonical);
  CHECK(r.expected[1].nan == NanKind::Arithmetic);
  CHECK(r.expected[1].type == ValType::F64);
  CHECK(r.expected[2].ref == ResultPattern::Ref::NonNull);
  CHECK(r.expected[2].hierarchy == RefHierarchy::Func);
  CHECK(r.expected[3].ref == ResultPattern::Ref::Null);
  CHECK(r.expected[3].hierarchy == RefHierarchy::Func);
  CHECK(r.expected[3].ref_text == "ref.null func");
  CHECK(r.expected[4].lane_count == 4);
  CHECK(r.expected[4].lane_nan[1] == NanKind::Canonical);
  CHECK(r.expected[4].lane_nan[3] == NanKind::Arithmetic);
  CHECK(r.expected[4].lane_nan[0] == NanKind::None);
  CHECK(r.expected[4].value.v128().bytes[3] == 0x3F);   // 1.0f
  CHECK(r.expected[4].value.v128().bytes[11] == 0x80);  // -0.0f

  CHECK(c[7].kind == Command::Kind::AssertTrap);
  CHECK_FALSE(c[7].has_module);
  CHECK(c[8].has_module);
  CHECK(c[9].kind == Command::Kind::AssertExhaustion);
  CHECK(c[10].kind == Command::Kind::AssertInvalid);
  CHECK(c[10].message == "type mismatch");
  CHECK(c[11].module.form == ScriptModule::Form::Quote);
  CHECK_FALSE(wat_to_binary(c[11].module.quote).ok());
  CHECK(c[12].kind == Command::Kind::AssertUnlinkable);
  CHECK(c[13].kind == Command::Kind::AssertUninstantiable);
  // A text module the encoder rejects is kept with its error.
  REQUIRE(c[14].module.encode_error);
  CHECK(c[14].module.encode_error->message.find("duplicate func") == 0);
}

TEST_CASE("scripts that are not well-formed fail as a whole", "[text][wast]") {
  CHECK_FALSE(parse_wast("(module").ok());
  CHECK_FALSE(parse_wast("(assert_return (invoke \"f\") (i32.const 0x1_0000_0000))").ok());
  CHECK_FALSE(parse_wast("(frobnicate)").ok());
}

TEST_CASE("a script of bare fields is one module", "[text][wast]") {
  auto script = parse_wast("(func) (memory 0) (func (export \"f\"))");
  REQUIRE(script.ok());
  REQUIRE(script->commands.size() == 1);
  CHECK(script->commands[0].kind == Command::Kind::Module);
  CHECK_FALSE(script->commands[0].module.encode_error);
}

TEST_CASE("Wasm 3.0 script syntax", "[text][wast]") {
  auto script = parse_wast(R"wast(
(module definition $D (@a "x") (func (export "f")))
(module instance $I $D)
(module instance)
(assert_exception (invoke $I "f" (ref.null exn)))
(assert_return (invoke "g" (ref.host 1))
               (either (i32.const 1) (i32.const 2)) (ref.null) (ref.null $t) (ref.null any)
               (ref.array) (ref.extern) (ref.extern 2) (ref.func $f) (ref.exn))
)wast");
  REQUIRE(script.ok());
  const auto& c = script->commands;
  REQUIRE(c.size() == 5);
  CHECK(c[0].kind == Command::Kind::ModuleDefinition);
  CHECK(c[0].module.id == "D");
  CHECK_FALSE(c[0].module.binary.empty());
  CHECK_FALSE(c[0].module.encode_error);
  CHECK(c[1].kind == Command::Kind::ModuleInstance);
  CHECK(c[1].instance_id == "I");
  CHECK(c[1].definition_id == "D");
  CHECK(c[2].kind == Command::Kind::ModuleInstance);
  CHECK_FALSE(c[2].instance_id);
  CHECK_FALSE(c[2].definition_id);
  CHECK(c[3].kind == Command::Kind::AssertException);
  CHECK(c[3].action.module_id == "I");
  REQUIRE(c[3].action.args.size() == 1);  // exnref exists, so its null is an argument
  CHECK(c[3].action.args[0].type() == ValType::ExnRef);
  CHECK(c[3].action.unsupported_arg.empty());
  // A host reference of the any hierarchy, holding ref.extern 1's bits (text::host_ref).
  CHECK(c[4].action.unsupported_arg.empty());
  REQUIRE(c[4].action.args.size() == 1);
  CHECK(c[4].action.args[0].type() == ref_type(HeapKind::Any, false));
  CHECK(c[4].action.args[0].ref() == extern_ref(1).ref());

  const auto& e = c[4].expected;
  REQUIRE(e.size() == 9);
  REQUIRE(e[0].alternatives.size() == 2);
  CHECK(e[0].alternatives[1].value.i32() == 2);
  CHECK(e[1].ref == ResultPattern::Ref::Null);
  CHECK(e[1].hierarchy == RefHierarchy::Unspecified);
  CHECK(e[2].hierarchy == RefHierarchy::Unspecified);
  CHECK(e[3].hierarchy == RefHierarchy::Gc);
  CHECK(e[4].ref == ResultPattern::Ref::NonNull);
  CHECK(e[4].hierarchy == RefHierarchy::Gc);
  CHECK(e[5].ref == ResultPattern::Ref::NonNull);
  CHECK(e[5].hierarchy == RefHierarchy::Extern);
  CHECK(e[6].ref == ResultPattern::Ref::Exact);
  CHECK(e[6].value.ref() == extern_ref(2).ref());
  CHECK(e[7].hierarchy == RefHierarchy::Func);
  CHECK(e[8].hierarchy == RefHierarchy::Exn);
  CHECK(e[8].ref_text == "ref.exn");
}
