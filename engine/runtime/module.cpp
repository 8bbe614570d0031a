// Modules: decode → validate the module → canonicalise the types. Compiling the functions for a
// tier is the top of the library graph's business (engine/tiers.cpp: Module::compile).
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>

#include "engine/decoder/decoder.h"
#include "engine/runtime/prepare.h"
#include "engine/validator/validator.h"
#ifdef TERN_HAVE_TEXT
#include "engine/text/wast.h"
#endif

namespace tern {

namespace rt {

Result<std::shared_ptr<CompiledModule>> prepare_module(Engine& engine,
                                                       std::span<const uint8_t> bytes) {
  auto info = decode_module(bytes);
  if (!info) return info.take_error();
  TERN_TRY(validate_module(*info));

  auto compiled = std::make_shared<CompiledModule>();
  compiled->engine = &engine;
  compiled->info = std::move(*info);
  const ModuleInfo& mi = compiled->info;
  compiled->type_ids.reserve(mi.types.size());
  for (const FuncType& t : mi.types) compiled->type_ids.push_back(engine.types().intern(t));
  for (uint32_t i = 0; i < mi.exports.size(); ++i) compiled->export_index[mi.exports[i].name] = i;
  return compiled;
}

}  // namespace rt

Result<Module> Module::from_file(Engine& engine, const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{ErrorKind::Io, "cannot open " + path + ": " + std::strerror(errno), {}, {}};
  // Read in doubling blocks (pipes included): a byte-wise stream iterator costs tens of
  // instructions a byte.
  constexpr size_t kFirstBlockBytes = size_t(16) << 10;
  std::vector<uint8_t> bytes;
  while (in) {
    const size_t filled = bytes.size();
    const size_t block = std::max(kFirstBlockBytes, filled);
    bytes.resize(filled + block);
    in.read(reinterpret_cast<char*>(bytes.data() + filled), std::streamsize(block));
    bytes.resize(filled + size_t(in.gcount()));
  }
  if (in.bad()) return Error{ErrorKind::Io, "cannot read " + path, {}, {}};

  static constexpr uint8_t kMagic[4] = {0x00, 0x61, 0x73, 0x6D};
  if (bytes.size() >= 4 && std::memcmp(bytes.data(), kMagic, 4) == 0) return compile(engine, bytes);
#ifdef TERN_HAVE_TEXT
  auto binary = text::wat_to_binary(
      std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
  if (!binary) return binary.take_error();
  return compile(engine, *binary);
#else
  return Error::invalid(path + " is not a binary module, and this build has no text reader " +
                        "(TERN_TEXT=OFF)");
#endif
}

std::vector<Module::ImportDesc> Module::imports() const {
  const ModuleInfo& mi = impl_->info;
  std::vector<ImportDesc> out;
  out.reserve(mi.imports.size());
  for (const Import& im : mi.imports) {
    ImportDesc d{im.module, im.name, im.kind, {}, im.table, im.memory, im.global};
    if (im.kind == ExternKind::Func) d.func = mi.types[im.func_type];
    out.push_back(std::move(d));
  }
  return out;
}

std::vector<Module::ExportDesc> Module::exports() const {
  const ModuleInfo& mi = impl_->info;
  std::vector<ExportDesc> out;
  out.reserve(mi.exports.size());
  for (const Export& ex : mi.exports) {
    ExportDesc d{ex.name, ex.kind, {}};
    if (ex.kind == ExternKind::Func) d.func = mi.func_type(ex.index);
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
