// The engine: configuration plus what every module compiled by it shares.
//
// Thread safety: an Engine may be used from any number of threads at once (compiling modules,
// creating stores); it must outlive every Module and Store made with it.
#pragma once

#include <tern/config.h>
#include <tern/detail.h>

#include <memory>

// Exported from libtern.so (cmake/TernInstall.cmake): the library is built with hidden visibility.
#pragma GCC visibility push(default)
namespace tern {

class Engine {
 public:
  explicit Engine(Config config = {});
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;
  const Config& config() const { return config_; }
  // Whether this build has `tier` (Auto: always; Interp: always; Jit: when built with it).
  static bool has_tier(Tier tier);

 private:
  friend struct detail::Access;
  Config config_;
  std::unique_ptr<rt::TypeRegistry> types_;
};

}  // namespace tern

#pragma GCC visibility pop
