// The shared byte reader: LEB128 limits, signed forms, names and UTF-8.
#include "engine/decoder/reader.h"

#include <catch2/catch.hpp>

#include "decoder/module_builder.h"

using namespace tern;
using namespace tern::test;

namespace {

template <class F>
auto read(const Bytes& b, F f) {
  Reader r(b, 0, b.size());
  auto v = f(r);
  return std::make_pair(v, r);
}

std::string error_of(const Reader& r) {
  return r.ok() ? "" : r.error().message;
}

}  // namespace

TEST_CASE("unsigned LEB128: values / widths and limits", "[decoder][reader]") {
  CHECK(read(Bytes{0x00}, [](Reader& r) { return r.u32(); }).first == 0);
  CHECK(read(Bytes{0xE5, 0x8E, 0x26}, [](Reader& r) { return r.u32(); }).first == 624485);
  CHECK(read(uleb(UINT32_MAX), [](Reader& r) { return r.u32(); }).first == UINT32_MAX);
  // Padded zero: allowed while within five bytes.
  CHECK(read(Bytes{0x80, 0x80, 0x80, 0x80, 0x00}, [](Reader& r) { return r.u32(); }).first == 0);
  CHECK(read(uleb(UINT64_MAX), [](Reader& r) { return r.u64(); }).first == UINT64_MAX);

  auto [v1, r1] =
      read(Bytes{0x80, 0x80, 0x80, 0x80, 0x80, 0x00}, [](Reader& r) { return r.u32(); });
  CHECK(error_of(r1) == "integer representation too long");
  CHECK(r1.error().offset.value_or(UINT64_MAX) == 4u);
  auto [v2, r2] = read(Bytes{0xFF, 0xFF, 0xFF, 0xFF, 0x1F}, [](Reader& r) { return r.u32(); });
  CHECK(error_of(r2) == "integer too large");
  auto [v3, r3] = read(Bytes{0x80, 0x80}, [](Reader& r) { return r.u32(); });
  CHECK(error_of(r3) == "unexpected end");
  auto [v4, r4] = read(Bytes{0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02},
                       [](Reader& r) { return r.u64(); });
  CHECK(error_of(r4) == "integer too large");
}

TEST_CASE("signed LEB128: sign extension and the unused bits of the last byte",
          "[decoder][reader]") {
  CHECK(read(Bytes{0x7F}, [](Reader& r) { return r.s32(); }).first == -1);
  CHECK(read(Bytes{0x3F}, [](Reader& r) { return r.s32(); }).first == 63);
  CHECK(read(Bytes{0xC0, 0x00}, [](Reader& r) { return r.s32(); }).first == 64);
  CHECK(read(sleb(INT32_MIN), [](Reader& r) { return r.s32(); }).first == INT32_MIN);
  CHECK(read(sleb(INT32_MAX), [](Reader& r) { return r.s32(); }).first == INT32_MAX);
  CHECK(read(sleb(INT64_MIN), [](Reader& r) { return r.s64(); }).first == INT64_MIN);
  CHECK(read(sleb(INT64_MAX), [](Reader& r) { return r.s64(); }).first == INT64_MAX);
  CHECK(read(sleb(-(int64_t(1) << 32)), [](Reader& r) { return r.s33(); }).first ==
        -(int64_t(1) << 32));
  // -1 padded to five bytes is fine; a last byte whose high bits disagree with the sign is not.
  CHECK(read(Bytes{0xFF, 0xFF, 0xFF, 0xFF, 0x7F}, [](Reader& r) { return r.s32(); }).first == -1);
  auto [v1, r1] = read(Bytes{0xFF, 0xFF, 0xFF, 0xFF, 0x4F}, [](Reader& r) { return r.s32(); });
  CHECK(error_of(r1) == "integer too large");
  auto [v2, r2] = read(Bytes{0x80, 0x80, 0x80, 0x80, 0x70}, [](Reader& r) { return r.s32(); });
  CHECK(error_of(r2) == "integer too large");
  auto [v3, r3] =
      read(Bytes{0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F}, [](Reader& r) { return r.s32(); });
  CHECK(error_of(r3) == "integer representation too long");
  auto [v4, r4] = read(Bytes{0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01},
                       [](Reader& r) { return r.s64(); });
  CHECK(error_of(r4) == "integer too large");
  auto [v5, r5] = read(Bytes{0x80, 0x80, 0x80, 0x80, 0x10}, [](Reader& r) { return r.s33(); });
  CHECK(error_of(r5) == "integer too large");
}

TEST_CASE("names must be valid UTF-8 and fit", "[decoder][reader]") {
  CHECK(read(str("h\xC3\xA9llo"), [](Reader& r) { return r.name(); }).first == "h\xC3\xA9llo");
  CHECK(read(str("\xF0\x9F\x98\x80"), [](Reader& r) { return r.name(); }).second.ok());
  for (std::string bad :
       {"\x80", "\xC0\x80", "\xC3", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xE0\x80\xAF", "\xFF"}) {
    auto [v, r] = read(str(bad), [](Reader& r) { return r.name(); });
    CHECK(error_of(r) == "malformed UTF-8 encoding");
  }
  auto [v, r] = read(Bytes{0x05, 'a'}, [](Reader& r) { return r.name(); });
  CHECK(error_of(r) == "length out of bounds");
}

TEST_CASE("a limited reader reports the end of its section", "[decoder][reader]") {
  Bytes b = {0x01, 0x02, 0x03};
  Reader r(b, 0, 2);
  r.u8();
  r.u8();
  r.u8();
  CHECK(error_of(r) == "unexpected end of section or function");
  CHECK(r.error().offset.value_or(UINT64_MAX) == 2u);
}
