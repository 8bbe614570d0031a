// Makes the JIT refuse every SIMD module, as it does on an x86-64 host without SSE4.1, for the
// tests of what becomes of a module the JIT refuses: Tier::Jit fails naming the construct,
// Tier::Auto gives the module to the interpreter, and the two tiers' code calls each other.
// AArch64's NEON compiles every SIMD op: there nothing is refused and refuse_simd() is empty.
#pragma once

#include <memory>

#if defined(__x86_64__)
#include "jit/x64/x64_frame.h"
#endif

namespace tern::jit::testing {

#if defined(__x86_64__)
// While it lives, the x86-64 backend compiles as for a host without SSE4.1 (and so without AVX).
class SimdRefusal {
 public:
  SimdRefusal() : saved_(x64_backend::host_features()) {
    x64_backend::HostFeatures without = saved_;
    without.sse41 = without.avx = false;
    x64_backend::override_host_features(without);
  }
  ~SimdRefusal() { x64_backend::override_host_features(saved_); }
  SimdRefusal(const SimdRefusal&) = delete;
  SimdRefusal& operator=(const SimdRefusal&) = delete;

 private:
  x64_backend::HostFeatures saved_;
};
inline std::unique_ptr<SimdRefusal> refuse_simd() {
  return std::make_unique<SimdRefusal>();
}
#else
struct SimdRefusal {};
inline std::unique_ptr<SimdRefusal> refuse_simd() {
  return nullptr;
}
#endif

}  // namespace tern::jit::testing
