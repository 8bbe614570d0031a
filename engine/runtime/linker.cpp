// The linker: definitions by (module, name), and instantiation as exec/modules.rst
// "Instantiation" orders it: match every import, allocate, run active element segments, then
// active data segments, then the start function.
#include <algorithm>
#include <cstring>

#include "engine/runtime/alloc.h"
#include "engine/runtime/api_access.h"
#include "engine/runtime/const_expr.h"
#include "engine/runtime/gc_collector.h"
#include "engine/runtime/import_match.h"
#include "engine/runtime/invoke.h"
#include "engine/type_canon.h"

namespace tern {

namespace {

using detail::Access;
using Definition = Access::LinkerDefinition;

std::string import_name(const Import& im) {
  return "\"" + im.module + "\" \"" + im.name + "\"";
}

Error trap_error(TrapCode code) {
  return Error::from_trap(Trap{code, trap_message(code), {}, 0});
}

// The function instance a Linker host definition has in `store`, created on first use.
rt::FuncInstance* host_func_in(rt::Store& store, const Definition& def) {
  auto [it, inserted] = store.linker_host_funcs.try_emplace(def.host_identity, nullptr);
  if (inserted) it->second = rt::alloc_host_func(store, def.host_type, def.host, def.host_entry);
  return it->second;
}

// How messages name tag `index` of a module: by the first name it is exported as, else its index.
std::string tag_name(const ModuleInfo& mi, uint32_t index) {
  for (const Export& ex : mi.exports) {
    if (ex.kind == ExternKind::Tag && ex.index == index) return "tag \"" + ex.name + "\"";
  }
  return "tag " + std::to_string(index);
}

// A segment offset: i32 in 2.0, read unsigned.
uint64_t offset_value(const Value& v) {
  return v.type() == ValType::I64 ? uint64_t(v.i64()) : uint64_t(uint32_t(v.i32()));
}

// Steps 1-4: every import resolved and matched, and the store's limits checked, before the
// store changes.
Result<std::vector<const Definition*>> resolve_imports(const std::vector<Definition>& defs,
                                                       const rt::Store& store,
                                                       const rt::CompiledModule& module) {
  const ModuleInfo& mi = module.info;
  if (module.engine != store.engine) {
    return Error::unlinkable("module was compiled by a different engine than the store's");
  }
  std::vector<const Definition*> resolved;
  resolved.reserve(mi.imports.size());
  for (const Import& im : mi.imports) {
    // Later definitions shadow earlier ones.
    auto it = std::find_if(defs.rbegin(), defs.rend(), [&](const Definition& d) {
      return d.module == im.module && d.name == im.name;
    });
    if (it == defs.rend()) return Error::unlinkable("unknown import " + import_name(im));
    const Definition& def = *it;
    bool matches = def.value
                       ? rt::extern_matches(*def.value, im, mi, module.type_ids,
                                            &detail::Access::types(*store.engine))
                       : im.kind == ExternKind::Func && def.host_type == mi.types[im.func_type];
    if (!matches) return Error::unlinkable("incompatible import type for " + import_name(im));
    resolved.push_back(&def);
  }
  if (store.instances.size() >= store.limits.instances) {
    return rt::limit_error("store already holds the maximum of " +
                           std::to_string(store.limits.instances) + " instances");
  }
  for (uint32_t i = mi.num_imported_tables; i < mi.tables.size(); ++i) {
    TERN_TRY(rt::check_table_limits(store, mi.tables[i]));
  }
  for (uint32_t i = mi.num_imported_memories; i < mi.memories.size(); ++i) {
    TERN_TRY(rt::check_memory_limits(store, mi.memories[i]));
  }
  return resolved;
}

// Steps 5-11: the imported externs, then the module's own functions, tables, memories and
// globals, then the evaluated element segments and the data segments' bytes.
Result<void> allocate(rt::Store& store, rt::Instance& inst,
                      const std::vector<const Definition*>& imports) {
  const rt::CompiledModule& module = *inst.module;
  const ModuleInfo& mi = module.info;
  // Sized once rather than regrown element by element.
  inst.funcs.reserve(mi.funcs.size());
  inst.tables.reserve(mi.tables.size());
  inst.memories.reserve(mi.memories.size());
  inst.globals.reserve(mi.globals.size());
  inst.tags.reserve(mi.tags.size());
  inst.elem_segments.reserve(mi.elems.size());
  inst.data_segments.reserve(mi.datas.size());
  for (const Definition* def : imports) {
    if (!def->value) {
      inst.funcs.push_back(host_func_in(store, *def));
      continue;
    }
    std::visit(
        [&](const auto& e) {
          using T = std::decay_t<decltype(e)>;
          if constexpr (std::is_same_v<T, Func>) inst.funcs.push_back(Access::func(e));
          if constexpr (std::is_same_v<T, Table>) inst.tables.push_back(Access::table(e));
          if constexpr (std::is_same_v<T, Memory>) inst.memories.push_back(Access::memory(e));
          if constexpr (std::is_same_v<T, Global>) inst.globals.push_back(Access::global(e));
          if constexpr (std::is_same_v<T, Tag>) inst.tags.push_back(Access::tag(e));
        },
        *def->value);
  }

  for (uint32_t i = mi.num_imported_funcs; i < mi.funcs.size(); ++i) {
    rt::FuncInstance& f = store.funcs.emplace_back();
    f.type_id = module.type_ids[mi.funcs[i]];
    f.type = &detail::Access::types(*store.engine).type(f.type_id);
    f.instance = &inst;
    f.func_index = i;
    module.tier->bind(f);
    inst.funcs.push_back(&f);
  }
  for (uint32_t i = mi.num_imported_memories; i < mi.memories.size(); ++i) {
    auto m = rt::alloc_memory(store, mi.memories[i]);
    if (!m) return m.take_error();
    inst.memories.push_back(*m);
  }
  for (uint32_t i = mi.num_imported_globals; i < mi.globals.size(); ++i) {
    auto v = rt::eval_const_expr(mi.global_inits[i - mi.num_imported_globals], inst);
    if (!v) return v.take_error();
    GlobalType type = mi.globals[i];
    type.type = canonical_type(type.type, module.type_ids);
    inst.globals.push_back(rt::alloc_global(store, type, *v));
  }
  // After the globals: a table's initializer expression may read them (typed references).
  for (uint32_t i = mi.num_imported_tables; i < mi.tables.size(); ++i) {
    uint32_t defined = i - mi.num_imported_tables;
    Ref first = nullptr;
    if (defined < mi.table_inits.size() && !mi.table_inits[defined].instrs.empty()) {
      auto v = rt::eval_const_expr(mi.table_inits[defined], inst);
      if (!v) return v.take_error();
      first = v->ref();
    }
    TableType type = mi.tables[i];
    type.elem = canonical_type(type.elem, module.type_ids);
    auto t = rt::alloc_table(store, type, first);
    if (!t) return t.take_error();
    inst.tables.push_back(*t);
  }
  for (uint32_t i = mi.num_imported_tags; i < mi.tags.size(); ++i) {
    inst.tags.push_back(rt::alloc_tag(store, module.type_ids[mi.tags[i]], tag_name(mi, i)));
  }
  for (const ElemSegment& seg : mi.elems) {
    std::vector<Ref>& refs = inst.elem_segments.emplace_back();
    refs.reserve(seg.inits.size());
    for (const ConstExpr& init : seg.inits) {
      auto v = rt::eval_const_expr(init, inst);
      if (!v) return v.take_error();
      refs.push_back(v->ref());
    }
  }
  for (const DataSegment& seg : mi.datas) {
    inst.data_segments.emplace_back(mi.bytes.data() + seg.data_start, seg.data_size);
  }
  return {};
}

// Steps 14-16: active element segments like table.init then elem.drop, declarative ones
// dropped, active data segments like memory.init then data.drop. A trap stops here; what the
// earlier segments wrote stays written.
Result<void> run_segments(rt::Instance& inst) {
  const ModuleInfo& mi = inst.info();
  for (size_t i = 0; i < mi.elems.size(); ++i) {
    const ElemSegment& seg = mi.elems[i];
    if (seg.mode != SegmentMode::Active) continue;
    auto offset = rt::eval_const_expr(seg.offset, inst);
    if (!offset) return offset.take_error();
    if (seg.table >= inst.tables.size())
      return Error::invalid("unknown table", seg.offset_in_module);
    std::vector<Ref>& table = inst.tables[seg.table]->elems;
    std::vector<Ref>& refs = inst.elem_segments[i];
    const uint64_t start = offset_value(*offset);
    if (start > table.size() || refs.size() > table.size() - start) {
      return trap_error(TrapCode::TableOutOfBounds);
    }
    std::copy(refs.begin(), refs.end(), table.begin() + ptrdiff_t(start));
    refs = {};
  }
  for (size_t i = 0; i < mi.elems.size(); ++i) {
    if (mi.elems[i].mode == SegmentMode::Declarative) inst.elem_segments[i] = {};
  }
  // Memories initialised from images (memory_image.h) skip their segments, which cannot trap.
  const std::vector<bool> imaged = rt::map_memory_images(inst);
  for (size_t i = 0; i < mi.datas.size(); ++i) {
    const DataSegment& seg = mi.datas[i];
    if (seg.mode != SegmentMode::Active) continue;
    if (seg.memory < imaged.size() && imaged[seg.memory]) {
      inst.data_segments[i] = {};
      continue;
    }
    auto offset = rt::eval_const_expr(seg.offset, inst);
    if (!offset) return offset.take_error();
    if (seg.memory >= inst.memories.size()) {
      return Error::invalid("unknown memory", seg.offset_in_module);
    }
    rt::MemoryInstance& memory = *inst.memories[seg.memory];
    std::span<const uint8_t>& bytes = inst.data_segments[i];
    const uint64_t start = offset_value(*offset);
    if (start > memory.size_bytes || bytes.size() > memory.size_bytes - start) {
      return trap_error(TrapCode::MemoryOutOfBounds);
    }
    if (!bytes.empty()) std::memcpy(memory.base + start, bytes.data(), bytes.size());
    bytes = {};
  }
  return {};
}

}  // namespace

void Linker::define(std::string module, std::string name, Extern value) {
  defs_.push_back(Definition{std::move(module), std::move(name), std::move(value), {}, {}, {}, {}});
}

void Linker::define_instance(std::string module, const Instance& instance) {
  for (auto& [name, value] : instance.exports()) define(module, std::move(name), value);
}

void Linker::define_host(std::string module, std::string name, FuncType type,
                         HostCallback callback) {
  defs_.push_back(Definition{std::move(module),
                             std::move(name),
                             std::nullopt,
                             std::move(type),
                             std::move(callback),
                             {},
                             std::make_shared<const char>()});
}

void Linker::define_host(std::string module, std::string name, FuncType type, HostEntry entry) {
  defs_.push_back(Definition{std::move(module),
                             std::move(name),
                             std::nullopt,
                             std::move(type),
                             {},
                             std::move(entry),
                             std::make_shared<const char>()});
}

Result<Instance> Linker::instantiate(Store& store, const Module& module) const {
  rt::Store& s = Access::store(store);
  auto imports = resolve_imports(defs_, s, *Access::module(module));
  if (!imports) return imports.take_error();

  rt::Instance& inst = s.instances.emplace_back();
  inst.module = Access::module(module);
  inst.store = &s;
  // Tables and element segments are sized by the module. Their constant expressions hold
  // intermediate values the collector cannot see, so none starts meanwhile.
  TERN_TRY(rt::guard_allocation("the instance's tables, globals and segments", [&] {
    rt::GcBlock block(s);
    return allocate(s, inst, *imports);
  }));
  TERN_TRY(run_segments(inst));
  if (std::optional<uint32_t> start = inst.info().start) {
    TERN_TRY(rt::invoke(s, inst.funcs[*start], {}, {}));
  }
  return Access::wrap(&inst);
}

}  // namespace tern
