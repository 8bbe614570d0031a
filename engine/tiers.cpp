// The top of the library graph: the tiers this build has, and which one compiles a module.
// The interpreter is always in; the JIT when the build has it (TERN_HAVE_JIT).
#include "engine/compile_owned_bytes.h"
#include "engine/interp/interpreter.h"
#include "engine/runtime/alloc.h"
#include "engine/runtime/api_access.h"
#include "engine/runtime/prepare.h"
#ifdef TERN_HAVE_JIT
#include "jit/tier.h"
#endif

namespace tern {

namespace {

const rt::TierImpl* jit_tier() {
#ifdef TERN_HAVE_JIT
  return &jit::tier();
#else
  return nullptr;
#endif
}

}  // namespace

bool Engine::has_tier(Tier tier) {
  return tier != Tier::Jit || jit_tier() != nullptr;
}

namespace {

// Compiles a prepared module with the tier the engine's configuration selects.
Result<Module> compile_prepared(Engine& engine, std::shared_ptr<rt::CompiledModule> compiled) {
  const Config& config = engine.config();
  const rt::TierImpl* jit = config.tier == Tier::Interp ? nullptr : jit_tier();
  if (config.tier == Tier::Jit && !jit) {
    return Error{ErrorKind::Limit, "the jit tier is not available in this build", {}, {}};
  }
  if (jit) {
    // The JIT validates each function as it compiles it. A module it rejects is invalid or
    // uses what the JIT does not compile: Tier::Jit reports that; Auto lets the interpreter's
    // lowering (which validates too) decide.
    auto code = jit->compile(*compiled, config);
    if (code) {
      compiled->tier = jit;
      compiled->code = std::move(*code);
      return detail::Access::module(std::move(compiled));
    }
    if (config.tier == Tier::Jit) return code.take_error();
  }
  const rt::TierImpl& interp = interp::tier();
  auto code = interp.compile(*compiled, config);
  if (!code) return code.take_error();
  compiled->tier = &interp;
  compiled->code = std::move(*code);
  return detail::Access::module(std::move(compiled));
}

// Decoding, validating and compiling allocate in proportion to the module: running out of
// memory on a hostile one is a Limit error, not an exception.
constexpr const char* kCompiledForm = "the module's decoded and compiled form";

}  // namespace

Result<Module> Module::compile(Engine& engine, std::span<const uint8_t> bytes) {
  return rt::guard_allocation(kCompiledForm, [&]() -> Result<Module> {
    auto prepared = rt::prepare_module(engine, bytes);
    if (!prepared) return prepared.take_error();
    return compile_prepared(engine, std::move(*prepared));
  });
}

Result<Module> compile_owned_bytes(Engine& engine, std::vector<uint8_t>&& bytes) {
  return rt::guard_allocation(kCompiledForm, [&]() -> Result<Module> {
    auto prepared = rt::prepare_module(engine, std::move(bytes));
    if (!prepared) return prepared.take_error();
    return compile_prepared(engine, std::move(*prepared));
  });
}

}  // namespace tern
