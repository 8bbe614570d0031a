// Where compiled code finds the runtime's fields (call_indirect's inline table lookup, the
// memories other than memory 0, memory64's bounds). The
// structs hold std::vector and std::function members, so they are not standard-layout and
// offsetof does not apply: the offsets are measured on a probe object instead.
#pragma once

#include <cstdint>
#include <cstring>
#include <vector>

#include "engine/runtime/objects.h"

namespace tern::jit {

struct RuntimeLayout {
  int32_t instance_tables = 0;  // rt::Instance::tables (a vector of TableInstance*)
  int32_t table_elems = 0;      // rt::TableInstance::elems (a vector of Ref)
  int32_t func_type_id = 0;     // rt::FuncInstance::type_id (32-bit)
  int32_t func_instance = 0;    // rt::FuncInstance::instance
  int32_t func_index = 0;       // rt::FuncInstance::func_index (32-bit)
  // Memories other than memory 0's pinned base, and memory64's bounds checks.
  int32_t instance_memories = 0;  // rt::Instance::memories (a vector of MemoryInstance*)
  int32_t memory_base = 0;        // rt::MemoryInstance::base
  int32_t memory_size = 0;        // rt::MemoryInstance::size_bytes (64-bit)
  // A std::vector is read as its first two words, {begin, end}: true for the standard
  // libraries we build with, checked here so another layout falls back to the helper.
  bool vectors_readable = false;
};

namespace detail {

template <class T, class M>
int32_t field_offset(M T::*member) {
  static const T probe{};
  return int32_t(reinterpret_cast<const char*>(&(probe.*member)) -
                 reinterpret_cast<const char*>(&probe));
}

inline bool vector_is_begin_end() {
  std::vector<void*> v(3);
  void* words[2];
  static_assert(sizeof(v) >= sizeof(words));
  std::memcpy(words, &v, sizeof(words));
  return words[0] == v.data() && words[1] == v.data() + v.size();
}

}  // namespace detail

inline const RuntimeLayout& runtime_layout() {
  static const RuntimeLayout layout = [] {
    RuntimeLayout l;
    l.instance_tables = detail::field_offset(&rt::Instance::tables);
    l.table_elems = detail::field_offset(&rt::TableInstance::elems);
    l.func_type_id = detail::field_offset(&rt::FuncInstance::type_id);
    l.func_instance = detail::field_offset(&rt::FuncInstance::instance);
    l.func_index = detail::field_offset(&rt::FuncInstance::func_index);
    l.instance_memories = detail::field_offset(&rt::Instance::memories);
    l.memory_base = detail::field_offset(&rt::MemoryInstance::base);
    l.memory_size = detail::field_offset(&rt::MemoryInstance::size_bytes);
    l.vectors_readable = detail::vector_is_begin_end();
    return l;
  }();
  return layout;
}

}  // namespace tern::jit
