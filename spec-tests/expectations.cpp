#include "spec-tests/expectations.h"

#include <fmt/core.h>

#include <algorithm>
#include <cstring>
#include <string>

#include "engine/runtime/gc_heap.h"
#include "engine/runtime/i31.h"

namespace tern::spec {

namespace {

// The spec's NaN classes (exec/numerics.rst): canonical has only the quiet bit set in the
// payload, arithmetic has at least the quiet bit; the sign is free in both.
bool is_nan_of_kind(uint64_t bits, unsigned width, text::NanKind kind) {
  const uint64_t exponent = width == 32 ? 0x7f800000ull : 0x7ff0000000000000ull;
  const uint64_t quiet = width == 32 ? 0x00400000ull : 0x0008000000000000ull;
  const uint64_t sign = width == 32 ? 0x80000000ull : 0x8000000000000000ull;
  if (kind == text::NanKind::Canonical) return (bits & ~sign) == (exponent | quiet);
  return (bits & (exponent | quiet)) == (exponent | quiet);
}

uint64_t lane_bits(const V128& v, unsigned lane, unsigned width) {
  uint64_t bits = 0;
  std::memcpy(&bits, v.bytes + lane * (width / 8), width / 8);
  return bits;
}

bool vector_matches(const text::ResultPattern& p, const V128& got) {
  if (p.lane_count == 0 || (p.lane_bits != 32 && p.lane_bits != 64) ||
      p.lane_count * p.lane_bits != 128) {
    return got == p.value.v128();
  }
  for (unsigned lane = 0; lane < p.lane_count; ++lane) {
    uint64_t bits = lane_bits(got, lane, p.lane_bits);
    text::NanKind nan = lane < 4 ? p.lane_nan[lane] : text::NanKind::None;
    if (nan != text::NanKind::None) {
      if (!is_nan_of_kind(bits, p.lane_bits, nan)) return false;
    } else if (bits != lane_bits(p.value.v128(), lane, p.lane_bits)) {
      return false;
    }
  }
  return true;
}

const char* nan_name(text::NanKind k) {
  return k == text::NanKind::Canonical ? "nan:canonical" : "nan:arithmetic";
}

std::string hex(uint64_t bits, unsigned digits) {
  return fmt::format("0x{:0{}x}", bits, digits);
}

uint64_t ref_bits(const Value& v) {
  return uint64_t(reinterpret_cast<uintptr_t>(v.ref()));
}

// A reference-class pattern: a null or any non-null reference of a hierarchy. A non-null value
// of the any hierarchy is an i31 (its slot's bits), or a heap object whose header says whether
// it is a struct, an array or a host reference's box (engine/runtime/gc_heap.h).
bool reference_class_matches(const text::ResultPattern& p, const Value& v) {
  auto hierarchy = text::hierarchy_of(v.type());
  if (!hierarchy) return false;
  bool same = p.hierarchy == *hierarchy || (p.ref == text::ResultPattern::Ref::Null &&
                                            p.hierarchy == text::RefHierarchy::Unspecified);
  if (same && !v.is_null() && *hierarchy == text::RefHierarchy::Gc) {
    uint64_t bits = ref_bits(v);
    // A view of the pattern's own text: substr on the string would view a temporary.
    std::string_view pattern = p.ref_text;
    std::string_view want = pattern.substr(0, pattern.find(' '));
    const auto* o = reinterpret_cast<const rt::GcObject*>(uintptr_t(bits));
    std::string_view kind = rt::is_i31(bits) ? "ref.i31"
                            : o->is_struct() ? "ref.struct"
                            : o->is_array()  ? "ref.array"
                                             : "ref.host";
    bool eq = kind != "ref.host";
    same = want == kind || want == "ref.any" || (eq && want == "ref.eq");
  }
  return same && v.is_null() == (p.ref == text::ResultPattern::Ref::Null);
}

}  // namespace

bool matches(const text::ResultPattern& p, const Value& v) {
  if (!p.alternatives.empty()) {
    return std::any_of(p.alternatives.begin(), p.alternatives.end(),
                       [&](const text::ResultPattern& a) { return matches(a, v); });
  }
  if (p.ref != text::ResultPattern::Ref::Exact) return reference_class_matches(p, v);
  if (storage_type(v.type()) != p.type) return false;
  switch (p.type) {
    case ValType::I32:
    case ValType::F32:
      if (p.nan != text::NanKind::None) return is_nan_of_kind(v.f32_bits(), 32, p.nan);
      return v.f32_bits() == p.value.f32_bits();
    case ValType::I64:
    case ValType::F64:
      if (p.nan != text::NanKind::None) return is_nan_of_kind(v.f64_bits(), 64, p.nan);
      return v.f64_bits() == p.value.f64_bits();
    case ValType::V128:
      return vector_matches(p, v.v128());
    case ValType::FuncRef:
    case ValType::ExternRef:
    case ValType::ExnRef:
      return v.ref() == p.value.ref();
  }
  return false;
}

std::string describe(const Value& v) {
  std::string s = std::string(name_of(v.type())) + ":";
  if (text::hierarchy_of(v.type()) == text::RefHierarchy::Gc) {
    if (v.is_null()) return s + "null";
    uint64_t bits = ref_bits(v);
    return s + (rt::is_i31(bits) ? "i31 " + std::to_string(rt::i31_get_s(bits)) : hex(bits, 1));
  }
  switch (storage_type(v.type())) {
    case ValType::F32:
      return s + to_string(v) + " (" + hex(v.f32_bits(), 8) + ")";
    case ValType::F64:
      return s + to_string(v) + " (" + hex(v.f64_bits(), 16) + ")";
    case ValType::FuncRef:
    case ValType::ExternRef:
      return s + (v.is_null() ? "null" : hex(reinterpret_cast<uintptr_t>(v.ref()), 1));
    default:
      return s + to_string(v);
  }
}

std::string describe(const text::ResultPattern& p) {
  if (p.nan != text::NanKind::None) return std::string(name_of(p.type)) + ":" + nan_name(p.nan);
  if (!p.alternatives.empty()) {
    std::string s = "either";
    for (const auto& a : p.alternatives) s += " " + describe(a);
    return s;
  }
  if (p.ref != text::ResultPattern::Ref::Exact) return p.ref_text;
  if (p.type == ValType::V128 && p.lane_count > 0 && p.lane_count <= 4) {
    std::string s = fmt::format("v128:f{}x{}", p.lane_bits, p.lane_count);
    for (unsigned lane = 0; lane < p.lane_count; ++lane) {
      if (p.lane_nan[lane] != text::NanKind::None) {
        s += std::string(" ") + nan_name(p.lane_nan[lane]);
      } else {
        s += " " + hex(lane_bits(p.value.v128(), lane, p.lane_bits), p.lane_bits / 4);
      }
    }
    return s;
  }
  return describe(p.value);
}

std::string describe(std::span<const Value> values) {
  std::string s = "(";
  for (size_t i = 0; i < values.size(); ++i) s += (i ? " " : "") + describe(values[i]);
  return s + ")";
}

std::string describe(std::span<const text::ResultPattern> patterns) {
  std::string s = "(";
  for (size_t i = 0; i < patterns.size(); ++i) s += (i ? " " : "") + describe(patterns[i]);
  return s + ")";
}

bool message_matches(std::string_view expected, std::string_view ours) {
  return !ours.empty() && expected.find(ours) != std::string_view::npos;
}

}  // namespace tern::spec
