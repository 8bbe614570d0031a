#include "engine/opcodes.h"

#include <array>
#include <string>
#include <unordered_map>

namespace tern {
namespace {

constexpr std::array<OpcodeInfo, kOpcodeCount> kInfo = {{
#define TERN_OP(id, prefix, code, text, imm, n, sig) {prefix, code, text, ImmKind::imm, n, sig},
#include "engine/opcodes.def"
#undef TERN_OP
}};

struct Index {
  std::array<int16_t, 256> single;
  std::array<int16_t, 32> fb;  // GC: 0x00 to 0x1E
  std::array<int16_t, 256> fc;
  std::array<int16_t, 0x114> fd;  // 2.0 SIMD up to 0xFF, relaxed SIMD 0x100 to 0x113
  std::unordered_map<std::string_view, Opcode> by_text;
  Index() {
    single.fill(-1);
    fb.fill(-1);
    fc.fill(-1);
    fd.fill(-1);
    for (size_t i = 0; i < kOpcodeCount; ++i) {
      const OpcodeInfo& o = kInfo[i];
      int16_t* table = o.prefix == 0xFB   ? fb.data()
                       : o.prefix == 0xFC ? fc.data()
                       : o.prefix == 0xFD ? fd.data()
                                          : single.data();
      table[o.code] = int16_t(i);
      by_text.emplace(o.text, Opcode(i));  // first wins: "select" maps to Select
    }
  }
};

const Index& index() {
  static const Index idx;
  return idx;
}

std::optional<Opcode> from(int16_t i) {
  if (i < 0) return std::nullopt;
  return Opcode(i);
}

}  // namespace

const OpcodeInfo& info(Opcode op) {
  return kInfo[size_t(op)];
}

std::optional<Opcode> opcode_from_byte(uint8_t byte) {
  return from(index().single[byte]);
}

std::optional<Opcode> opcode_from_prefixed(uint8_t prefix, uint32_t code) {
  if (prefix == 0xFB && code < index().fb.size()) return from(index().fb[code]);
  if (prefix == 0xFC && code < index().fc.size()) return from(index().fc[code]);
  if (prefix == 0xFD && code < index().fd.size()) return from(index().fd[code]);
  return std::nullopt;
}

std::optional<Opcode> opcode_from_text(std::string_view text) {
  auto it = index().by_text.find(text);
  if (it == index().by_text.end()) return std::nullopt;
  return it->second;
}

}  // namespace tern
