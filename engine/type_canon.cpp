#include "engine/type_canon.h"

#include <algorithm>
#include <map>

namespace tern {

namespace {

void append_u32(std::string& key, uint32_t v) {
  for (int i = 0; i < 4; ++i) key.push_back(char(v >> (8 * i)));
}

// A type index: by its position when inside the group, else by the identity of the type.
void append_index(std::string& key, uint32_t index, uint32_t start, uint32_t size,
                  std::span<const uint32_t> ids) {
  bool inside = index >= start && index - start < size;
  key.push_back(inside ? 'r' : 'c');
  append_u32(key, inside ? index - start : index < ids.size() ? ids[index] : UINT32_MAX);
}

void append_type(std::string& key, ValType t, uint32_t start, uint32_t size,
                 std::span<const uint32_t> ids) {
  if (!is_ref(t) || !is_concrete(t)) {
    key.push_back('v');
    append_u32(key, uint32_t(t));
    return;
  }
  key.push_back(is_nullable(t) ? 'n' : '!');
  append_index(key, ref_type_index(t), start, size, ids);
}

}  // namespace

std::string rec_group_key(std::span<const FuncType> types, std::span<const TypeDef> defs,
                          uint32_t start, uint32_t size, std::span<const uint32_t> ids) {
  std::string key;
  append_u32(key, size);
  for (uint32_t i = start; i < start + size && i < types.size(); ++i) {
    static const TypeDef kPlain;
    const TypeDef& d = i < defs.size() ? defs[i] : kPlain;
    key.push_back(d.final ? 'f' : 's');
    if (d.super != kNoSuper) {
      key.push_back('<');
      append_index(key, d.super, start, size, ids);
    }
    key.push_back(char(d.kind));
    if (d.kind != CompositeKind::Func) {
      append_u32(key, uint32_t(d.fields.size()));
      for (const FieldType& f : d.fields) {
        key.push_back(char(f.packed));
        key.push_back(f.mut ? 'm' : 'c');
        append_type(key, f.type, start, size, ids);
      }
      continue;
    }
    append_u32(key, uint32_t(types[i].params.size()));
    for (ValType t : types[i].params) append_type(key, t, start, size, ids);
    append_u32(key, uint32_t(types[i].results.size()));
    for (ValType t : types[i].results) append_type(key, t, start, size, ids);
  }
  return key;
}

std::vector<uint32_t> module_type_classes(const ModuleInfo& m) {
  std::vector<uint32_t> classes(m.types.size());
  std::map<std::string, uint32_t> first_of;  // group key → the group's first type index
  uint32_t i = 0;
  while (i < m.types.size()) {
    uint32_t size = std::max<uint32_t>(m.type_def(i).group_size, 1);
    std::string key = rec_group_key(m.types, m.type_defs, i, size, classes);
    auto [it, inserted] = first_of.try_emplace(std::move(key), i);
    for (uint32_t k = 0; k < size && i + k < classes.size(); ++k) classes[i + k] = it->second + k;
    i += size;
  }
  return classes;
}

}  // namespace tern
