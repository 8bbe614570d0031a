// A tiny test-side writer of binary modules: LEB128, names, vectors and sections, so tests can
// state modules byte by byte without the text reader.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string_view>
#include <vector>

namespace tern::test {

using Bytes = std::vector<uint8_t>;

inline Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

inline Bytes uleb(uint64_t v) {
  Bytes out;
  do {
    uint8_t b = v & 0x7F;
    v >>= 7;
    out.push_back(v ? b | 0x80 : b);
  } while (v);
  return out;
}

inline Bytes sleb(int64_t v) {
  Bytes out;
  while (true) {
    uint8_t b = v & 0x7F;
    v >>= 7;
    bool done = (v == 0 && !(b & 0x40)) || (v == -1 && (b & 0x40));
    out.push_back(done ? b : b | 0x80);
    if (done) return out;
  }
}

inline Bytes str(std::string_view s) {
  Bytes out = uleb(s.size());
  out.insert(out.end(), s.begin(), s.end());
  return out;
}

// A vector: its length, then the items.
inline Bytes vec(std::initializer_list<Bytes> items) {
  Bytes out = uleb(items.size());
  for (const Bytes& i : items) out.insert(out.end(), i.begin(), i.end());
  return out;
}

inline Bytes section(uint8_t id, const Bytes& contents) {
  return cat({{id}, uleb(contents.size()), contents});
}

inline const Bytes kHeader = {0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00};

inline Bytes module(std::initializer_list<Bytes> sections) {
  Bytes out = kHeader;
  for (const Bytes& s : sections) out.insert(out.end(), s.begin(), s.end());
  return out;
}

// Value type bytes.
constexpr uint8_t kI32 = 0x7F, kI64 = 0x7E, kF32 = 0x7D, kF64 = 0x7C, kV128 = 0x7B, kFuncRef = 0x70,
                  kExternRef = 0x6F;

inline Bytes func_type(Bytes params, Bytes results) {
  return cat({{0x60}, uleb(params.size()), params, uleb(results.size()), results});
}
inline Bytes type_section(std::initializer_list<Bytes> types) {
  return section(1, vec(types));
}
inline Bytes func_section(Bytes type_indices) {
  Bytes contents = uleb(type_indices.size());
  for (uint8_t t : type_indices) contents.push_back(t);
  return section(3, contents);
}
// A function body: local declarations (already a vector) and code, with its size prefix.
inline Bytes body(Bytes locals, Bytes code) {
  Bytes b = cat({locals, code});
  return cat({uleb(b.size()), b});
}
inline Bytes code_section(std::initializer_list<Bytes> bodies) {
  return section(10, vec(bodies));
}

// A module with one function of type `params -> results` whose code is `code` (ending in 0x0B),
// with `extra` sections placed where their ids belong: before the function section when their
// id is 2 (import), otherwise between the function and code sections (ids 4..9, 12) or after
// the code (11). Sections are given whole.
inline Bytes one_func(Bytes params, Bytes results, Bytes code,
                      std::initializer_list<Bytes> extra = {}, Bytes locals = {0x00}) {
  Bytes out = kHeader;
  auto add = [&](const Bytes& b) { out.insert(out.end(), b.begin(), b.end()); };
  add(type_section({func_type(params, results)}));
  for (const Bytes& s : extra) {
    if (s[0] == 2) add(s);
  }
  add(func_section({0}));
  for (const Bytes& s : extra) {
    if (s[0] != 2 && s[0] != 11) add(s);
  }
  add(code_section({body(locals, code)}));
  for (const Bytes& s : extra) {
    if (s[0] == 11) add(s);
  }
  return out;
}

}  // namespace tern::test
