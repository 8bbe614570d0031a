// The JIT as the engine's Tier::Jit: compiling modules and calling their functions on behalf of
// the runtime.
#include "jit/tier.h"

#include "jit/common/module_compiler.h"

namespace tern::jit {

namespace {

class JitTier final : public rt::TierImpl {
 public:
  Tier kind() const override { return Tier::Jit; }

  Result<std::shared_ptr<const rt::TierCode>> compile(const rt::CompiledModule& module,
                                                      const Config& config) const override {
    auto jm = compile_module(module, config);
    if (!jm) return jm.take_error();
    return std::shared_ptr<const rt::TierCode>(std::move(*jm));
  }

  // Compiled code reaches a callee's code through its module's JitModule, not the instance.
  void bind(rt::FuncInstance&) const override {}

  std::optional<Trap> call(rt::Store& store, rt::FuncInstance* func,
                           uint8_t* slots) const override {
    return jit::call(store, func, reinterpret_cast<uint64_t*>(slots));
  }
};

}  // namespace

const rt::TierImpl& tier() {
  static const JitTier kTier;
  return kTier;
}

const JitModule* jit_module_of(const rt::CompiledModule& module) {
  return module.tier == &tier() ? static_cast<const JitModule*>(module.code.get()) : nullptr;
}

}  // namespace tern::jit
