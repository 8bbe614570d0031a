// Modules: decode → validate the module → canonicalise the types → compile each function for
// its tier (the JIT, or the interpreter's lowering), validating it on the way.
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>

#include "engine/decoder/decoder.h"
#include "engine/interp/interpreter.h"
#include "engine/runtime/objects.h"
#include "engine/text/wast.h"
#include "engine/validator/validator.h"

namespace tern {

Result<Module> Module::compile(Engine& engine, std::span<const uint8_t> bytes) {
  auto info = decode_module(bytes);
  if (!info) return info.take_error();
  TERN_TRY(validate_module(*info));

  auto compiled = std::make_shared<rt::CompiledModule>();
  compiled->engine = &engine;
  compiled->info = std::move(*info);
  const ModuleInfo& mi = compiled->info;
  compiled->type_ids.reserve(mi.types.size());
  for (const FuncType& t : mi.types) compiled->type_ids.push_back(engine.types().intern(t));
  for (uint32_t i = 0; i < mi.exports.size(); ++i) compiled->export_index[mi.exports[i].name] = i;
  Tier tier = engine.config().tier;
  const rt::TierBackend* jit = tier == Tier::Interp ? nullptr : rt::tier_backend(Tier::Jit);
  if (tier == Tier::Jit && !jit) {
    return Error{ErrorKind::Limit, "the jit tier is not available in this build", {}, {}};
  }
  if (jit) {
    // The JIT validates each function as it compiles it, so a module it compiles needs no
    // interpreter code. One it rejects is invalid or uses what the JIT does not compile:
    // Tier::Jit reports that; Auto lets the interpreter's lowering (which validates too)
    // decide.
    auto code = jit->compile(*compiled, engine.config());
    if (code) {
      compiled->tier_code = std::move(*code);
      return Module(std::move(compiled));
    }
    if (tier == Tier::Jit) return code.take_error();
  }
  compiled->interp_code.reserve(mi.num_defined_funcs());
  for (uint32_t i = 0; i < mi.num_defined_funcs(); ++i) {
    auto code = interp::compile_function(mi, i, engine.config());
    if (!code) return code.take_error();
    compiled->interp_code.push_back(std::move(*code));
  }
  return Module(std::move(compiled));
}

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
  auto binary = text::wat_to_binary(
      std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
  if (!binary) return binary.take_error();
  return compile(engine, *binary);
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
  return impl_->tier_code ? Tier::Jit : Tier::Interp;
}

}  // namespace tern
