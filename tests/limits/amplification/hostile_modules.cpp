#include "tests/limits/amplification/hostile_modules.h"

#include <functional>
#include <map>

namespace tern::amplification {
namespace {

using Bytes = std::vector<uint8_t>;

void leb(Bytes& out, uint64_t v) {
  do {
    uint8_t b = v & 0x7F;
    v >>= 7;
    out.push_back(v ? (b | 0x80) : b);
  } while (v);
}

// A module being written section by section.
class Writer {
 public:
  Writer() : out_{0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00} {}
  // Section `id` holding `count` entries, each written by `entry(i, out)`.
  template <class F>
  Writer& section(uint8_t id, uint32_t count, F entry) {
    Bytes payload;
    leb(payload, count);
    for (uint32_t i = 0; i < count; ++i) entry(i, payload);
    out_.push_back(id);
    leb(out_, payload.size());
    out_.insert(out_.end(), payload.begin(), payload.end());
    return *this;
  }
  // The type section with one type, [] -> [].
  Writer& void_type() {
    return section(1, 1, [](uint32_t, Bytes& out) { out.insert(out.end(), {0x60, 0x00, 0x00}); });
  }
  // `count` functions of type 0, each with body `body` (locals and code, without its size).
  Writer& functions(uint32_t count, const Bytes& body) {
    section(3, count, [](uint32_t, Bytes& out) { out.push_back(0x00); });
    return section(10, count, [&](uint32_t, Bytes& out) {
      leb(out, body.size());
      out.insert(out.end(), body.begin(), body.end());
    });
  }
  Bytes take() { return std::move(out_); }

 private:
  Bytes out_;
};

void name(Bytes& out, uint32_t i) {
  std::string s = std::to_string(i);
  leb(out, s.size());
  out.insert(out.end(), s.begin(), s.end());
}

// 1,000,000 functions (the limit) whose body is `end`: 4 MB.
HostileModule many_functions() {
  return {Writer().void_type().functions(1000000, {0x00, 0x0B}).take()};
}

// One function of 1,000,000 nested blocks: 3 MB.
HostileModule deep_nesting() {
  constexpr uint32_t kDepth = 1000000;
  Bytes body{0x00};
  for (uint32_t i = 0; i < kDepth; ++i) body.insert(body.end(), {0x02, 0x40});
  body.insert(body.end(), kDepth + 1, 0x0B);
  return {Writer().void_type().functions(1, body).take()};
}

// A br_table of `targets` labels (plus the default), all to the enclosing block.
Bytes br_table_body(uint32_t targets) {
  Bytes body{0x00, 0x02, 0x40, 0x41, 0x00, 0x0E};
  leb(body, targets);
  body.insert(body.end(), targets + 1, 0x00);
  body.insert(body.end(), {0x0B, 0x0B});
  return body;
}

// 60 functions, each a br_table at the limit (65,520 labels): 3.9 MB.
HostileModule br_tables_at_limit() {
  return {Writer().void_type().functions(60, br_table_body(65520)).take()};
}

// One br_table of 5,000,000 labels, refused (ModuleLimits::br_table_targets): 5 MB.
HostileModule br_table_over_limit() {
  return {Writer().void_type().functions(1, br_table_body(5000000)).take()};
}

// 1,000 functions declaring 49,999 i32 locals each in 5 bytes: 8 KB.
HostileModule many_locals() {
  Bytes body{0x01};
  leb(body, 49999);
  body.insert(body.end(), {0x7F, 0x0B});
  return {Writer().void_type().functions(1000, body).take()};
}

// 1,000,000 types [] -> []: 3 MB.
HostileModule many_types() {
  return {Writer()
              .section(1, 1000000,
                       [](uint32_t, Bytes& out) {
                         out.insert(out.end(), {0x60, 0x00, 0x00});
                       })
              .take()};
}

// 1,000,000 function imports, "m" "<i>": 11 MB. Nothing provides them.
HostileModule many_imports() {
  Bytes bytes = Writer()
                    .void_type()
                    .section(2, 1000000,
                             [](uint32_t i, Bytes& out) {
                               out.insert(out.end(), {0x01, 'm'});
                               name(out, i);
                               out.insert(out.end(), {0x00, 0x00});
                             })
                    .take();
  return {std::move(bytes), false};
}

// 1,000,000 exports "<i>" of one function: 9 MB.
HostileModule many_exports() {
  Writer w;
  w.void_type();
  w.section(3, 1, [](uint32_t, Bytes& out) { out.push_back(0x00); });
  w.section(7, 1000000, [](uint32_t i, Bytes& out) {
    name(out, i);
    out.insert(out.end(), {0x00, 0x00});
  });
  w.section(10, 1, [](uint32_t, Bytes& out) { out.insert(out.end(), {0x02, 0x00, 0x0B}); });
  return {w.take()};
}

const std::map<std::string, std::function<HostileModule()>>& makers() {
  static const std::map<std::string, std::function<HostileModule()>> kMakers = {
      {"functions", many_functions},     {"nesting", deep_nesting},
      {"br_tables", br_tables_at_limit}, {"br_table_over_limit", br_table_over_limit},
      {"locals", many_locals},           {"types", many_types},
      {"imports", many_imports},         {"exports", many_exports},
  };
  return kMakers;
}

}  // namespace

HostileModule make_hostile_module(const std::string& name) {
  auto it = makers().find(name);
  return it == makers().end() ? HostileModule{} : it->second();
}

}  // namespace tern::amplification
