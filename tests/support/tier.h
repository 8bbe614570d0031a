// Choosing an execution tier, for tests that run the same case on the interpreter and the JIT.
#pragma once

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

}  // namespace tern::test
