// The JIT as the engine's Tier::Jit backend (rt::TierBackend): compiling modules and calling
// functions on behalf of the runtime.
#include "jit/common/module_compiler.h"

namespace tern::jit {

namespace {

Result<std::shared_ptr<const void>> compile(const rt::CompiledModule& module,
                                            const Config& config) {
  auto jm = compile_module(module, config);
  if (!jm) return jm.take_error();
  return std::shared_ptr<const void>(std::move(*jm));
}

const rt::TierBackend kBackend{compile, call};

// Linking tern_jit (an object library) is what makes the tier available.
const bool kRegistered = (rt::register_tier_backend(Tier::Jit, &kBackend), true);

}  // namespace

const JitModule* jit_module_of(const rt::CompiledModule& module) {
  return static_cast<const JitModule*>(module.tier_code.get());
}

}  // namespace tern::jit
