// Choosing an execution tier, for tests that run the same case on the interpreter and the JIT.
#pragma once

#include <vector>

#include "tern/tern.h"

namespace tern::test {

inline Config on_tier(Config config, Tier tier) {
  config.tier = tier;
  return config;
}

inline const char* tier_name(Tier tier) {
  switch (tier) {
    case Tier::Interp:
      return "interp";
    case Tier::Jit:
      return "jit";
    case Tier::Auto:
      return "auto";
  }
  return "?";
}

// Every tier this build has, each with a Config that selects it: the interpreter, and the JIT
// compiling eagerly and lazily where the build has one.
struct TierCase {
  const char* name;
  Config config;
};

inline std::vector<TierCase> tier_cases() {
  std::vector<TierCase> cases{{"interp", Config{.tier = Tier::Interp}}};
  if (Engine::has_tier(Tier::Jit)) {
    cases.push_back({"jit", Config{.tier = Tier::Jit}});
    cases.push_back({"jit lazy", Config{.tier = Tier::Jit, .lazy_compile = true}});
  }
  return cases;
}

}  // namespace tern::test
