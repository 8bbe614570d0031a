// Instances as the embedder sees them: exports by name, and the calling instance of a host
// function.
#include "engine/runtime/api_access.h"
#include "engine/runtime/objects.h"

namespace tern {

using detail::Access;

namespace {

Extern extern_of(const rt::Instance& inst, const Export& ex) {
  switch (ex.kind) {
    case ExternKind::Func:
      return Access::wrap(inst.funcs[ex.index]);
    case ExternKind::Table:
      return Access::wrap(inst.tables[ex.index]);
    case ExternKind::Memory:
      return Access::wrap(inst.memories[ex.index]);
    case ExternKind::Global:
      return Access::wrap(inst.globals[ex.index]);
    case ExternKind::Tag:
      return Access::wrap(inst.tags[ex.index]);
  }
  return Func();
}

template <class T>
std::optional<T> export_as(const Instance& instance, std::string_view name) {
  std::optional<Extern> e = instance.get_export(name);
  if (!e || !std::holds_alternative<T>(*e)) return std::nullopt;
  return std::get<T>(*e);
}

}  // namespace

ExternKind kind_of(const Extern& e) {
  // The variant's alternatives are in ExternKind order.
  return ExternKind(e.index());
}

std::optional<Extern> Instance::get_export(std::string_view name) const {
  if (!i_) return std::nullopt;
  const auto& index = i_->module->export_index;
  auto it = index.find(std::string(name));
  if (it == index.end()) return std::nullopt;
  return extern_of(*i_, i_->info().exports[it->second]);
}

std::optional<Func> Instance::get_func(std::string_view name) const {
  return export_as<Func>(*this, name);
}
std::optional<Memory> Instance::get_memory(std::string_view name) const {
  return export_as<Memory>(*this, name);
}
std::optional<Global> Instance::get_global(std::string_view name) const {
  return export_as<Global>(*this, name);
}
std::optional<Table> Instance::get_table(std::string_view name) const {
  return export_as<Table>(*this, name);
}

std::optional<Tag> Instance::get_tag(std::string_view name) const {
  return export_as<Tag>(*this, name);
}

std::vector<std::pair<std::string, Extern>> Instance::exports() const {
  std::vector<std::pair<std::string, Extern>> out;
  if (!i_) return out;
  for (const Export& ex : i_->info().exports) out.emplace_back(ex.name, extern_of(*i_, ex));
  return out;
}

std::optional<Extern> Caller::get_export(std::string_view name) const {
  return Access::wrap(instance_).get_export(name);
}

std::optional<Memory> Caller::memory() const {
  if (!instance_) return std::nullopt;
  if (std::optional<Memory> m = Access::wrap(instance_).get_memory("memory")) return m;
  if (instance_->memories.empty()) return std::nullopt;
  return Access::wrap(instance_->memories[0]);
}

}  // namespace tern
