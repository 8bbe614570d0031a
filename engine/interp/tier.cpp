// The interpreter as the engine's Tier::Interp: lowering every function of a module, and
// running them on the store's machine.
#include <vector>

#include "engine/interp/interpreter.h"

namespace tern::interp {

namespace {

// A module's lowered functions, per defined index.
struct ModuleCode final : rt::TierCode {
  std::vector<FuncCodePtr> funcs;
};

class InterpTier final : public rt::TierImpl {
 public:
  Tier kind() const override { return Tier::Interp; }

  Result<std::shared_ptr<const rt::TierCode>> compile(const rt::CompiledModule& module,
                                                      const Config& config) const override {
    auto funcs = compile_functions(module.info, config);
    if (!funcs) return funcs.take_error();
    auto out = std::make_shared<ModuleCode>();
    out->funcs = std::move(*funcs);
    return std::shared_ptr<const rt::TierCode>(std::move(out));
  }

  // The dispatch loop enters a callee through FuncInstance::code: one load, no lookup.
  void bind(rt::FuncInstance& func) const override {
    const rt::CompiledModule& module = *func.instance->module;
    const auto& code = static_cast<const ModuleCode&>(*module.code);
    func.code = code.funcs[func.func_index - module.info.num_imported_funcs].get();
  }

  std::optional<Trap> call(rt::Store& store, rt::FuncInstance* func,
                           uint8_t* slots) const override {
    return interp::call(store, func, slots);
  }
};

}  // namespace

const rt::TierImpl& tier() {
  static const InterpTier kTier;
  return kTier;
}

const FuncCode* code_of(const rt::CompiledModule& module, uint32_t defined_index) {
  if (module.tier != &tier()) return nullptr;
  return static_cast<const ModuleCode&>(*module.code).funcs.at(defined_index).get();
}

}  // namespace tern::interp
