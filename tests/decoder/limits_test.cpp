// The implementation limits (Config::module_limits): each refuses count + 1 with a Limit error
// that names it, its value and the offending offset, and accepts the limit itself; checked
// against small limits (cheap modules) and, where the module stays small, against the Web's
// defaults.
#include <catch2/catch.hpp>
#include <functional>
#include <string>

#include "engine/decoder/decoder.h"
#include "engine/validator/validator.h"
#include "tests/decoder/module_builder.h"

using namespace tern;
using namespace tern::test;

namespace {

// Decodes and validates under `limits`.
Result<void> load(const Bytes& bytes, const ModuleLimits& limits) {
  auto info = decode_module(bytes, limits);
  if (!info) return info.take_error();
  return validate(*info);
}

Bytes repeat(uint32_t n, const Bytes& item) {
  Bytes out = uleb(n);
  for (uint32_t i = 0; i < n; ++i) out.insert(out.end(), item.begin(), item.end());
  return out;
}

const Bytes kVoidType = type_section({func_type({}, {})});

// A module with `n` of what one limit counts.
struct LimitCase {
  const char* field;
  uint32_t ModuleLimits::*limit;
  std::function<Bytes(uint32_t)> make;
};

const LimitCase kCases[] = {
    {"types", &ModuleLimits::types,
     [](uint32_t n) { return module({section(1, repeat(n, func_type({}, {})))}); }},
    {"functions", &ModuleLimits::functions,
     [](uint32_t n) {
       return module({kVoidType, section(3, repeat(n, {0x00})),
                      section(10, repeat(n, body({0x00}, {0x0B})))});
     }},
    {"imports", &ModuleLimits::imports,
     [](uint32_t n) {
       return module({kVoidType, section(2, repeat(n, cat({str("m"), str("f"), {0x00, 0x00}})))});
     }},
    {"exports", &ModuleLimits::exports,
     [](uint32_t n) {
       Bytes exports = uleb(n);
       for (uint32_t i = 0; i < n; ++i) exports = cat({exports, str(std::to_string(i)), {0, 0}});
       return module({kVoidType, func_section({0}), section(7, exports),
                      code_section({body({0x00}, {0x0B})})});
     }},
    {"globals", &ModuleLimits::globals,
     [](uint32_t n) {
       return module({section(6, repeat(n, {kI32, 0x00, 0x41, 0x00, 0x0B}))});
     }},
    {"data_segments", &ModuleLimits::data_segments,
     [](uint32_t n) {
       return module({section(11, repeat(n, {0x01, 0x00}))});
     }},
    {"element_segments", &ModuleLimits::element_segments,
     [](uint32_t n) {
       return module({section(9, repeat(n, {0x01, 0x00, 0x00}))});
     }},
    {"element_segment_entries", &ModuleLimits::element_segment_entries,
     [](uint32_t n) {
       return module({kVoidType, func_section({0}),
                      section(9, cat({{0x01, 0x01, 0x00}, repeat(n, {0x00})})),
                      code_section({body({0x00}, {0x0B})})});
     }},
    {"tables", &ModuleLimits::tables,
     [](uint32_t n) {
       // One imported table counts with the defined ones.
       Bytes import = section(2, vec({cat({str("m"), str("t"), {0x01, kFuncRef, 0x00, 0x00}})}));
       return module({import, section(4, repeat(n - 1, {kFuncRef, 0x00, 0x00}))});
     }},
    {"params", &ModuleLimits::params,
     [](uint32_t n) {
       return module({section(1, vec({cat({{0x60}, repeat(n, {kI32}), {0x00}})}))});
     }},
    {"results", &ModuleLimits::results,
     [](uint32_t n) {
       return module({section(1, vec({cat({{0x60, 0x00}, repeat(n, {kI32})})}))});
     }},
    {"function_body_bytes", &ModuleLimits::function_body_bytes,
     [](uint32_t n) {
       Bytes code(n - 2, 0x01);  // nops
       code.push_back(0x0B);
       return module({kVoidType, func_section({0}), code_section({body({0x00}, code)})});
     }},
    {"locals", &ModuleLimits::locals,
     [](uint32_t n) {
       // One parameter counts with the declared locals.
       return one_func({kI32}, {}, {0x0B}, {}, cat({{0x01}, uleb(n - 1), {kI32}}));
     }},
    {"struct_fields", &ModuleLimits::struct_fields,
     [](uint32_t n) {
       return module({section(1, cat({{0x01, 0x5F}, repeat(n, {kI32, 0x00})}))});
     }},
    {"br_table_targets", &ModuleLimits::br_table_targets,
     [](uint32_t n) {
       Bytes code = cat({{0x02, 0x40, 0x41, 0x00, 0x0E}, repeat(n, {0x00}), {0x00, 0x0B, 0x0B}});
       return one_func({}, {}, code);
     }},
};

void check_limit(const LimitCase& c, ModuleLimits limits, uint32_t value) {
  INFO(c.field << " = " << value);
  limits.*c.limit = value;
  Result<void> at_limit = load(c.make(value), limits);
  CHECK(at_limit.ok());
  if (!at_limit) FAIL_CHECK(at_limit.error().to_string());
  Result<void> over = load(c.make(value + 1), limits);
  REQUIRE_FALSE(over.ok());
  CHECK(over.error().kind == ErrorKind::Limit);
  const std::string named = "ModuleLimits::" + std::string(c.field) + " = " + std::to_string(value);
  CHECK(over.error().message.find(named) != std::string::npos);
  CHECK(over.error().message.find(std::to_string(value + 1)) != std::string::npos);
  CHECK(over.error().offset.has_value());
}

}  // namespace

TEST_CASE("each module limit accepts its value and refuses one more / naming itself") {
  for (const LimitCase& c : kCases) check_limit(c, ModuleLimits{}, 3);
}

TEST_CASE("the Web's limits are the defaults / and hold where the module is small") {
  ModuleLimits web;
  CHECK(web.types == 1000000);
  CHECK(web.functions == 1000000);
  CHECK(web.imports == 1000000);
  CHECK(web.exports == 1000000);
  CHECK(web.globals == 1000000);
  CHECK(web.data_segments == 100000);
  CHECK(web.element_segments == 10000000);
  CHECK(web.element_segment_entries == 10000000);
  CHECK(web.tables == 100000);
  CHECK(web.params == 1000);
  CHECK(web.results == 1000);
  CHECK(web.function_body_bytes == 7654321);
  CHECK(web.locals == 50000);
  CHECK(web.br_table_targets == 65520);
  CHECK(web.struct_fields == 10000);
  CHECK(web.array_new_fixed_operands == 10000);
  CHECK(web.module_bytes == uint64_t(1) << 30);
  CHECK(Config{}.module_limits.functions == web.functions);
  for (const LimitCase& c : kCases) {
    std::string field = c.field;
    if (field == "params" || field == "results" || field == "locals" ||
        field == "br_table_targets" || field == "data_segments" || field == "tables") {
      check_limit(c, web, web.*c.limit);
    }
  }
}

TEST_CASE("a count over its limit is refused at the count / before its entries are read") {
  // Each declares 2^32 - 1 entries and holds none: the error is the limit at the count's offset,
  // not "unexpected end" after reading (and allocating for) what is there.
  const Bytes huge = uleb(UINT32_MAX);
  struct Count {
    Bytes module;
    size_t count_at;
    const char* field;
  };
  const Count counts[] = {
      {module({section(1, huge)}), 10, "types"},
      {module({section(2, huge)}), 10, "imports"},
      {module({section(3, huge)}), 10, "functions"},
      {module({section(4, huge)}), 10, "tables"},
      {module({section(6, huge)}), 10, "globals"},
      {module({section(7, huge)}), 10, "exports"},
      {module({section(9, huge)}), 10, "element_segments"},
      {module({section(12, huge)}), 10, "data_segments"},
      {module({section(10, huge)}), 10, "functions"},
      {module({section(11, huge)}), 10, "data_segments"},
  };
  for (const Count& c : counts) {
    INFO(c.field);
    auto r = decode_module(c.module);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().kind == ErrorKind::Limit);
    CHECK(r.error().offset == c.count_at);
    CHECK(r.error().message.find(std::string("ModuleLimits::") + c.field) != std::string::npos);
  }
}

TEST_CASE("a module over module_bytes is refused before it is copied") {
  ModuleLimits limits;
  limits.module_bytes = 100;
  Bytes custom = module({section(0, cat({str("pad"), Bytes(100 - 8 - 2 - 4, 0)}))});
  REQUIRE(custom.size() == 100);
  CHECK(load(custom, limits).ok());
  custom.push_back(0);
  custom[9] = uint8_t(custom[9] + 1);  // the section grows with the module
  auto r = load(custom, limits);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind == ErrorKind::Limit);
  CHECK(r.error().message ==
        "too many module bytes: 101 exceeds the limit ModuleLimits::module_bytes = 100");
}

TEST_CASE("a body over function_body_bytes is refused at its size") {
  ModuleLimits limits;
  limits.function_body_bytes = 4;
  Bytes m = module(
      {kVoidType, func_section({0}), code_section({body({0x00}, {0x01, 0x01, 0x01, 0x0B})})});
  auto r = load(m, limits);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind == ErrorKind::Limit);
  CHECK(r.error().offset == m.size() - 6);  // the body's size, before its 5 bytes
}
