// Modules: decode → validate the module → canonicalise the types. Compiling the functions for a
// tier is the top of the library graph's business (engine/tiers.cpp: Module::compile).
#include "engine/decoder/decoder.h"
#include "engine/runtime/alloc.h"
#include "engine/runtime/api_access.h"
#include "engine/runtime/prepare.h"
#include "engine/validator/validator.h"

namespace tern {

namespace rt {

namespace {

// The engine's configuration, checked where every module starts, so that no code runs under a
// value the tiers do not support (as wasmtime's Engine::new rejects a bad Config).
Result<void> check_config(const Config& config) {
  if (config.max_call_depth == 0 || config.max_call_depth > kMaxCallDepth) {
    return limit_error("Config::max_call_depth is " + std::to_string(config.max_call_depth) +
                       ", it must be between 1 and " + std::to_string(kMaxCallDepth));
  }
  return {};
}

// The rest of prepare_module once the bytes are decoded.
Result<std::shared_ptr<CompiledModule>> prepare_decoded(Engine& engine, Result<ModuleInfo> info) {
  if (!info) return info.take_error();
  TERN_TRY(validate_module(*info));

  auto compiled = std::make_shared<CompiledModule>();
  compiled->engine = &engine;
  compiled->info = std::move(*info);
  const ModuleInfo& mi = compiled->info;
  const TypeRegistry& registry = detail::Access::types(engine);
  compiled->type_ids = detail::Access::types(engine).intern_module(mi);
  for (uint32_t id : compiled->type_ids) compiled->gc_types.push_back(&registry.gc_type(id));
  for (uint32_t i = 0; i < mi.exports.size(); ++i) compiled->export_index[mi.exports[i].name] = i;
  return compiled;
}

}  // namespace

Result<std::shared_ptr<CompiledModule>> prepare_module(Engine& engine,
                                                       std::span<const uint8_t> bytes) {
  TERN_TRY(check_config(engine.config()));
  return prepare_decoded(
      engine, decode_module(bytes, engine.config().module_limits, engine.config().features));
}

Result<std::shared_ptr<CompiledModule>> prepare_module(Engine& engine,
                                                       std::vector<uint8_t>&& bytes) {
  TERN_TRY(check_config(engine.config()));
  return prepare_decoded(engine, decode_module(std::move(bytes), engine.config().module_limits,
                                               engine.config().features));
}

}  // namespace rt

Result<void> Module::validate(Engine& engine, std::span<const uint8_t> bytes) {
  auto info = decode_module(bytes, engine.config().module_limits, engine.config().features);
  if (!info) return info.take_error();
  return tern::validate(*info);
}

std::vector<Module::ImportDesc> Module::imports() const {
  const ModuleInfo& mi = impl_->info;
  std::vector<ImportDesc> out;
  out.reserve(mi.imports.size());
  for (const Import& im : mi.imports) {
    ImportDesc d{im.module, im.name, im.kind, {}, im.table, im.memory, im.global, {}};
    if (im.kind == ExternKind::Func) d.func = mi.types[im.func_type];
    if (im.kind == ExternKind::Tag) d.tag = mi.types[im.tag_type];
    out.push_back(std::move(d));
  }
  return out;
}

std::vector<Module::ExportDesc> Module::exports() const {
  const ModuleInfo& mi = impl_->info;
  std::vector<ExportDesc> out;
  out.reserve(mi.exports.size());
  for (const Export& ex : mi.exports) {
    ExportDesc d{ex.name, ex.kind, {}, {}, {}, {}, {}};
    switch (ex.kind) {
      case ExternKind::Func:
        d.func = mi.func_type(ex.index);
        break;
      case ExternKind::Table:
        d.table = mi.tables[ex.index];
        break;
      case ExternKind::Memory:
        d.memory = mi.memories[ex.index];
        break;
      case ExternKind::Global:
        d.global = mi.globals[ex.index];
        break;
      case ExternKind::Tag:
        d.tag = mi.types[mi.tags[ex.index]];
        break;
    }
    out.push_back(std::move(d));
  }
  return out;
}

std::string_view Module::name() const {
  return impl_->info.module_name;
}

Tier Module::tier() const {
  return impl_->tier->kind();
}

}  // namespace tern
