// SIMD lane access and byte permutations (splat, extract_lane, replace_lane, shuffle, swizzle,
// bitselect), and the shape lookups: every computational 0xFD opcode in opcodes.def has exactly
// one shape, the one its signature says.
#include <catch2/catch.hpp>
#include <string>

#include "engine/interp/simd.h"
#include "engine/opcodes.h"
#include "simd_test_util.h"

using tern::ImmKind;
using tern::Opcode;
using tern::V128;
namespace simd = tern::interp::simd;
using namespace tern::simd_test;

namespace {

V128 iota(uint8_t start) {
  V128 v{};
  for (int i = 0; i < 16; ++i) v.bytes[i] = uint8_t(start + i);
  return v;
}

int shapes_of(Opcode op) {
  return (simd::unary(op) != nullptr) + (simd::binary(op) != nullptr) +
         (simd::ternary(op) != nullptr) + (simd::test(op) != nullptr) +
         (simd::shift(op) != nullptr) + (simd::splat(op) != nullptr) +
         (simd::extract(op) != nullptr) + (simd::replace(op) != nullptr);
}

}  // namespace

TEST_CASE("every computational SIMD opcode has exactly the shape of its signature", "[simd]") {
  int computational = 0;
  for (size_t i = 0; i < tern::kOpcodeCount; ++i) {
    Opcode op = Opcode(i);
    const tern::OpcodeInfo& info = tern::info(op);
    INFO(std::string(info.text) << " sig " << std::string(info.sig));
    bool memory = info.imm == ImmKind::MemArg || info.imm == ImmKind::MemArgLane;
    bool vector_op =
        info.prefix == 0xFD && !memory && op != Opcode::V128Const && op != Opcode::I8x16Shuffle;
    if (!vector_op) {
      REQUIRE(shapes_of(op) == 0);
      continue;
    }
    ++computational;
    REQUIRE(shapes_of(op) == 1);
    std::string_view sig = info.sig;
    bool lane_imm = info.imm == ImmKind::Lane;
    if (sig == "v_v") CHECK(simd::unary(op));
    if (sig == "vv_v") CHECK(simd::binary(op));
    if (sig == "vvv_v") CHECK(simd::ternary(op));
    if (sig == "v_i" && !lane_imm) CHECK(simd::test(op));
    if (sig == "vi_v" && !lane_imm) CHECK(simd::shift(op));
    if (sig.size() == 3 && sig[0] != 'v' && sig.substr(1) == "_v") CHECK(simd::splat(op));
    if (lane_imm && sig[0] == 'v' && sig.size() == 3) CHECK(simd::extract(op));
    if (lane_imm && sig.size() == 4) CHECK(simd::replace(op));
  }
  CHECK(computational == 232);  // 236 + 20 relaxed SIMD opcodes - 22 memory - v128.const - shuffle
}

TEST_CASE("splat repeats the low bits of the scalar", "[simd]") {
  CHECK(simd::splat(Opcode::I8x16Splat)(0xFFFFFF01) ==
        bytes_of({1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}));
  V128 h = simd::splat(Opcode::I16x8Splat)(0x12345678);
  V128 w = simd::splat(Opcode::F32x4Splat)(0x7FA00001);  // a signalling NaN is copied as bits
  V128 d = simd::splat(Opcode::I64x2Splat)(0x0102030405060708);
  for (int i = 0; i < 8; ++i) CHECK(lane(h, 2, i) == 0x5678);
  for (int i = 0; i < 4; ++i) CHECK(lane(w, 4, i) == 0x7FA00001);
  for (int i = 0; i < 2; ++i) CHECK(lane(d, 8, i) == 0x0102030405060708);
  CHECK(simd::splat(Opcode::F64x2Splat)(0xFFF0000000000001) ==
        simd::splat(Opcode::I64x2Splat)(0xFFF0000000000001));
}

TEST_CASE("extract_lane sign- or zero-extends to i32 / then zero-extends", "[simd]") {
  V128 v = iota(0xF0);  // bytes f0 f1 ... ff
  CHECK(simd::extract(Opcode::I8x16ExtractLaneS)(v, 0) == 0xFFFFFFF0u);
  CHECK(simd::extract(Opcode::I8x16ExtractLaneU)(v, 15) == 0xFFu);
  CHECK(simd::extract(Opcode::I16x8ExtractLaneS)(v, 1) == 0xFFFFF3F2u);
  CHECK(simd::extract(Opcode::I16x8ExtractLaneU)(v, 7) == 0xFFFEu);
  CHECK(simd::extract(Opcode::I32x4ExtractLane)(v, 3) == 0xFFFEFDFCu);
  CHECK(simd::extract(Opcode::F32x4ExtractLane)(v, 0) == 0xF3F2F1F0u);
  CHECK(simd::extract(Opcode::I64x2ExtractLane)(v, 1) == 0xFFFEFDFCFBFAF9F8u);
  CHECK(simd::extract(Opcode::F64x2ExtractLane)(v, 0) == 0xF7F6F5F4F3F2F1F0u);
  V128 small = iota(0x10);
  CHECK(simd::extract(Opcode::I8x16ExtractLaneS)(small, 5) == 0x15u);
  CHECK(simd::extract(Opcode::I16x8ExtractLaneS)(small, 0) == 0x1110u);
  // Every lane of every shape, against byte arithmetic.
  for (const V128& s : sample_vectors(1, 20)) {
    for (int i = 0; i < 16; ++i) {
      REQUIRE(simd::extract(Opcode::I8x16ExtractLaneU)(s, uint8_t(i)) == s.bytes[i]);
      REQUIRE(simd::extract(Opcode::I8x16ExtractLaneS)(s, uint8_t(i)) ==
              uint32_t(int32_t(int8_t(s.bytes[i]))));
    }
    for (int i = 0; i < 8; ++i) {
      REQUIRE(simd::extract(Opcode::I16x8ExtractLaneS)(s, uint8_t(i)) ==
              uint32_t(signed_lane(s, 2, i)));
    }
  }
}

TEST_CASE("replace_lane writes the low bits into one lane only", "[simd]") {
  V128 v = iota(0);
  V128 r8 = simd::replace(Opcode::I8x16ReplaceLane)(v, 0x1FF, 15);
  CHECK(r8.bytes[15] == 0xFF);
  CHECK(r8.bytes[14] == 14);
  V128 r16 = simd::replace(Opcode::I16x8ReplaceLane)(v, 0xABCDEF, 3);
  CHECK(lane(r16, 2, 3) == 0xCDEF);
  CHECK(lane(r16, 2, 2) == lane(v, 2, 2));
  V128 r32 = simd::replace(Opcode::F32x4ReplaceLane)(v, 0xFFC00000, 0);
  CHECK(lane(r32, 4, 0) == 0xFFC00000);
  CHECK(lane(r32, 4, 1) == lane(v, 4, 1));
  V128 r64 = simd::replace(Opcode::I64x2ReplaceLane)(v, 0x8000000000000000, 1);
  CHECK(lane(r64, 8, 1) == 0x8000000000000000);
  CHECK(lane(r64, 8, 0) == lane(v, 8, 0));
  CHECK(simd::replace(Opcode::F64x2ReplaceLane)(v, 7, 0) ==
        simd::replace(Opcode::I64x2ReplaceLane)(v, 7, 0));
}

TEST_CASE("shuffle picks bytes of a‖b / swizzle zeroes out-of-range indices", "[simd]") {
  V128 a = iota(0x00), b = iota(0x10);
  V128 picks = bytes_of({0, 31, 16, 15, 1, 17, 2, 18, 30, 29, 28, 3, 4, 5, 6, 7});
  CHECK(simd::shuffle(a, b, picks) == bytes_of({0x00, 0x1F, 0x10, 0x0F, 0x01, 0x11, 0x02, 0x12,
                                                0x1E, 0x1D, 0x1C, 0x03, 0x04, 0x05, 0x06, 0x07}));
  V128 reverse{};
  for (int i = 0; i < 16; ++i) reverse.bytes[i] = uint8_t(15 - i);
  CHECK(simd::shuffle(a, b, reverse) == simd::binary(Opcode::I8x16Swizzle)(a, reverse));

  simd::Binary swizzle = simd::binary(Opcode::I8x16Swizzle);
  V128 idx = bytes_of({0, 15, 16, 0xFF, 0x80, 17, 8, 32, 3, 3, 3, 3, 255, 14, 15, 16});
  V128 want = bytes_of({0xA0, 0xAF, 0, 0, 0, 0, 0xA8, 0, 0xA3, 0xA3, 0xA3, 0xA3, 0, 0xAE, 0xAF, 0});
  CHECK(swizzle(iota(0xA0), idx) == want);
}

TEST_CASE("bitselect takes bits of the first operand where the mask is set", "[simd]") {
  auto as = sample_vectors(1, 50, 21), bs = sample_vectors(1, 50, 22),
       cs = sample_vectors(1, 50, 23);
  simd::Ternary f = simd::ternary(Opcode::V128Bitselect);
  REQUIRE(f);
  for (size_t k = 0; k < as.size(); ++k) {
    V128 r = f(as[k], bs[k], cs[k]);
    for (int i = 0; i < 16; ++i) {
      uint8_t m = cs[k].bytes[i];
      REQUIRE(r.bytes[i] == uint8_t((as[k].bytes[i] & m) | (bs[k].bytes[i] & ~m)));
    }
  }
}
