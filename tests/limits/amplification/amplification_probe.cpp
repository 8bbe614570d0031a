// tern_amplification_probe NAME validate|interp|jit MAX_MIB: builds hostile module NAME, then
// validates it (Module::validate) or compiles and instantiates it on a tier, and fails unless
// the process's peak RSS grew by at most MAX_MIB over what it was before (docs/limits.md lists
// the bounds; 0: no bound, for sanitizer builds). A module over a limit (br_table_over_limit)
// must be refused with a Limit error.
#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "tern/tern.h"
#include "tests/limits/amplification/hostile_modules.h"

using namespace tern;

namespace {

uint64_t resident_kib_now() {
  std::ifstream statm("/proc/self/statm");
  uint64_t size = 0, resident = 0;
  statm >> size >> resident;
  return resident * uint64_t(sysconf(_SC_PAGESIZE)) / 1024;
}

uint64_t peak_resident_kib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return uint64_t(usage.ru_maxrss);  // KiB on Linux
}

// Validates, or compiles and instantiates, as `mode` says.
Result<void> run(const std::string& mode, const amplification::HostileModule& m) {
  Config config;
  config.tier = mode == "jit" ? Tier::Jit : Tier::Interp;
  Engine engine(config);
  if (mode == "validate") return Module::validate(engine, m.bytes);
  auto module = Module::compile(engine, m.bytes);
  if (!module) return module.take_error();
  if (!m.instantiable) return {};
  Store store(engine);
  auto instance = Linker().instantiate(store, *module);
  if (!instance) return instance.take_error();
  return {};
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: %s NAME validate|interp|jit MAX_MIB\n", argv[0]);
    return 2;
  }
  const std::string name = argv[1], mode = argv[2];
  const uint64_t max_mib = std::strtoull(argv[3], nullptr, 10);
  amplification::HostileModule m = amplification::make_hostile_module(name);
  if (m.bytes.empty()) {
    std::fprintf(stderr, "unknown module %s\n", name.c_str());
    return 2;
  }
  const uint64_t before = resident_kib_now();
  Result<void> r = run(mode, m);
  const uint64_t growth = peak_resident_kib() - std::min(before, peak_resident_kib());
  const bool must_refuse = name == "br_table_over_limit";
  std::printf("%s %s: module %zu bytes, peak RSS +%llu KiB (bound %llu MiB), %s\n", name.c_str(),
              mode.c_str(), m.bytes.size(), (unsigned long long)growth, (unsigned long long)max_mib,
              r ? "ok" : r.error().to_string().c_str());
  bool outcome_ok = must_refuse ? (!r && r.error().kind == ErrorKind::Limit) : bool(r);
  if (!outcome_ok) std::printf("FAIL: unexpected outcome\n");
  const bool within = max_mib == 0 || growth <= max_mib * 1024;
  if (!within) std::printf("FAIL: over the bound\n");
  return outcome_ok && within ? 0 : 1;
}
