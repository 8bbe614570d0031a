#include <cstdio>
#include <cstdlib>

#include "fuzz/targets/targets.h"

void tern_fuzz_fail(const char* what) {
  std::fprintf(stderr, "tern fuzz invariant violated: %s\n", what);
  std::abort();
}
