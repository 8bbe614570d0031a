// The engine: configuration plus the engine-wide registry of canonical function types.
#include <algorithm>

#include "engine/runtime/objects.h"
#include "engine/type_canon.h"

namespace tern {

namespace rt {

uint32_t TypeRegistry::intern(const FuncType& type) {
  return intern_group({&type, 1}, {}, 0, 1, {});
}

std::vector<uint32_t> TypeRegistry::intern_module(const ModuleInfo& module) {
  std::vector<uint32_t> ids(module.types.size());
  uint32_t i = 0;
  while (i < ids.size()) {
    uint32_t size = std::max<uint32_t>(module.type_def(i).group_size, 1);
    size = std::min<uint32_t>(size, uint32_t(ids.size()) - i);
    uint32_t first = intern_group(module.types, module.type_defs, i, size, ids);
    for (uint32_t k = 0; k < size; ++k) ids[i + k] = first + k;
    i += size;
  }
  return ids;
}

uint32_t TypeRegistry::intern_group(std::span<const FuncType> module_types,
                                    std::span<const TypeDef> defs, uint32_t start, uint32_t size,
                                    std::span<const uint32_t> ids) {
  std::string key = rec_group_key(module_types, defs, start, size, ids);
  std::lock_guard lock(mutex_);
  auto [it, inserted] = ids_.try_emplace(std::move(key), uint32_t(types_.size()));
  if (!inserted) return it->second;
  // A reference into the group names the id its member gets now; one outside, ids[index].
  uint32_t first = it->second;
  auto canonical = [&](ValType t) {
    if (!is_ref(t) || !is_concrete(t)) return t;
    uint32_t index = ref_type_index(t);
    bool inside = index >= start && index - start < size;
    return ref_to_type(inside               ? first + (index - start)
                       : index < ids.size() ? ids[index]
                                            : index,
                       is_nullable(t));
  };
  for (uint32_t k = 0; k < size; ++k) {
    FuncType& t = types_.emplace_back(module_types[start + k]);
    for (ValType& v : t.params) v = canonical(v);
    for (ValType& v : t.results) v = canonical(v);
    GcType& g = gc_types_.emplace_back();
    g.id = first + k;
    if (start + k >= defs.size()) continue;  // a plain function type
    const TypeDef& d = defs[start + k];
    g.kind = d.kind;
    // A declared supertype comes before its subtype: inside the group it is interned already.
    if (d.super != kNoSuper)
      g.super = &gc_types_[ref_type_index(canonical(ref_to_type(d.super, true)))];
    g.fields = d.fields;
    for (FieldType& f : g.fields) f.type = canonical(f.type);
    if (d.kind != CompositeKind::Struct) continue;
    g.offsets = struct_offsets(g.fields);
    for (size_t i = 0; i < g.fields.size(); ++i) {
      if (is_ref(g.fields[i].type)) g.ref_offsets.push_back(g.offsets[i]);
    }
  }
  return first;
}

const FuncType& TypeRegistry::type(uint32_t id) const {
  std::lock_guard lock(mutex_);
  return types_.at(id);
}

const GcType& TypeRegistry::gc_type(uint32_t id) const {
  std::lock_guard lock(mutex_);
  return gc_types_.at(id);
}

}  // namespace rt

Engine::Engine(Config config)
    : config_(std::move(config)), types_(std::make_unique<rt::TypeRegistry>()) {}

Engine::~Engine() = default;

}  // namespace tern
