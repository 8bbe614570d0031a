// The FuncConsumer contract (func_consumer.h): what begin/instr/finish receive.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "decoder/module_builder.h"
#include "engine/decoder/decoder.h"
#include "engine/validator/validator.h"

using namespace tern;
using namespace tern::test;

namespace {

std::string types_text(std::span<const ValType> types) {
  std::string s;
  for (ValType t : types)
    s += std::string(s.empty() ? "" : " ") + (t == kUnknownType ? "?" : name_of(t));
  return s;
}

// Records every call as text: "op [popped] -> [pushed]" plus " (dead)" when unreachable.
class Recorder : public FuncConsumer {
 public:
  std::vector<std::string> log;
  std::vector<ValType> locals;
  std::vector<Instr> instrs;
  bool finished = false;
  std::optional<Error> finish_error;

  void begin(const ModuleInfo&, uint32_t, const FuncType&, std::span<const ValType> l) override {
    locals.assign(l.begin(), l.end());
  }
  void instr(const Instr& in, std::span<const ValType> popped, std::span<const ValType> pushed,
             bool unreachable) override {
    log.push_back(std::string(name_of(in.op)) + " [" + types_text(popped) + "] -> [" +
                  types_text(pushed) + "]" + (unreachable ? " (dead)" : ""));
    instrs.push_back(in);
  }
  std::optional<Error> finish() override {
    finished = true;
    return finish_error;
  }
};

// Runs the recorder over a module with types `types` whose one function has type 0.
Result<void> record(Recorder& rec, std::initializer_list<Bytes> types, Bytes code,
                    Bytes locals = {0x00}) {
  Bytes bytes =
      cat({kHeader, type_section(types), func_section({0}), code_section({body(locals, code)})});
  auto m = decode_module(bytes);
  REQUIRE(m.ok());
  REQUIRE(validate_module(*m).ok());
  return validate_function(*m, 0, &rec);
}

}  // namespace

TEST_CASE("consumer sees every instruction with its operand types", "[validator][consumer]") {
  Recorder rec;
  // (param i32) (result i32) (local i64): local.get 0; block (result i32) i32.const 1 end; i32.add
  REQUIRE(record(rec, {func_type({kI32}, {kI32})},
                 {0x20, 0x00, 0x02, 0x7F, 0x41, 0x01, 0x0B, 0x6A, 0x0B}, {0x01, 0x01, kI64})
              .ok());
  CHECK(rec.locals == std::vector<ValType>{ValType::I32, ValType::I64});
  CHECK(rec.log == std::vector<std::string>{
                       "local.get [] -> [i32]",
                       "block [] -> []",
                       "i32.const [] -> [i32]",
                       "end [i32] -> [i32]",
                       "i32.add [i32 i32] -> [i32]",
                       "end [i32] -> [i32]",
                   });
  CHECK(rec.finished);
  CHECK(rec.instrs[1].block.results.size() == 1);
  CHECK(int32_t(rec.instrs[2].bits) == 1);
}

TEST_CASE("consumer: multi-value if/else and branches", "[validator][consumer]") {
  Recorder rec;
  // type 1: (i32) -> (i32 i32). i32.const 5; i32.const 1; if (type 1) ... else ... end; br_if 0
  Bytes code = {0x41, 0x05, 0x41, 0x01, 0x04, 0x01,  // if (type 1) with i32 5 as param
                0x41, 0x02, 0x05,                    // then: push 2; else
                0x41, 0x03, 0x0B,                    // else: push 3; end
                0x41, 0x00, 0x0D, 0x00,              // br_if 0 with (i32 i32) + i32
                0x41, 0x00, 0x0E, 0x00, 0x00,        // br_table 0 (default 0)
                0x0B};
  REQUIRE(record(rec, {func_type({}, {kI32, kI32}), func_type({kI32}, {kI32, kI32})}, code).ok());
  CHECK(rec.log == std::vector<std::string>{
                       "i32.const [] -> [i32]",
                       "i32.const [] -> [i32]",
                       "if [i32 i32] -> [i32]",
                       "i32.const [] -> [i32]",
                       "else [i32 i32] -> [i32]",
                       "i32.const [] -> [i32]",
                       "end [i32 i32] -> [i32 i32]",
                       "i32.const [] -> [i32]",
                       "br_if [i32 i32 i32] -> [i32 i32]",
                       "i32.const [] -> [i32]",
                       "br_table [i32 i32 i32] -> []",
                       "end [i32 i32] -> [i32 i32] (dead)",
                   });
  CHECK(rec.instrs[10].targets.size() == 1);
}

TEST_CASE("consumer: unreachable code is flagged / operand types filled where known",
          "[validator][consumer]") {
  Recorder rec;
  // unreachable; i32.add; select; drop; block end; end
  REQUIRE(record(rec, {func_type({}, {})}, {0x00, 0x6A, 0x1B, 0x1A, 0x02, 0x40, 0x0B, 0x0B}).ok());
  CHECK(rec.log == std::vector<std::string>{
                       "unreachable [] -> []",
                       "i32.add [i32 i32] -> [i32] (dead)",
                       "select [? ? i32] -> [?] (dead)",
                       "drop [?] -> [] (dead)",
                       "block [] -> [] (dead)",
                       "end [] -> []",
                       "end [] -> [] (dead)",
                   });
}

TEST_CASE("consumer: select t / calls and the finish error", "[validator][consumer]") {
  Recorder rec;
  rec.finish_error = Error::invalid("function too large for the consumer");
  // (param f64) -> f64: local.get 0; local.get 0; i32.const 0; select (result f64); call 0
  Result<void> r = record(rec, {func_type({kF64}, {kF64})},
                          {0x20, 0x00, 0x20, 0x00, 0x41, 0x00, 0x1C, 0x01, kF64, 0x10, 0x00, 0x0B});
  CHECK(rec.log[3] == "select [f64 f64 i32] -> [f64]");
  CHECK(rec.instrs[3].type == ValType::F64);
  CHECK(rec.log[4] == "call [f64] -> [f64]");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message == "function too large for the consumer");
}

TEST_CASE("consumer is not called past a type error", "[validator][consumer]") {
  Recorder rec;
  Result<void> r = record(rec, {func_type({}, {})}, {0x41, 0x00, 0x42, 0x00, 0x6A, 0x0B});
  REQUIRE_FALSE(r.ok());
  CHECK(rec.log.size() == 2);
  CHECK_FALSE(rec.finished);
}
