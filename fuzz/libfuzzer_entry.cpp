// One libFuzzer binary per target: built with -DTERN_FUZZ_TARGET=tern_fuzz_<target>.
#include "fuzz/targets/targets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return TERN_FUZZ_TARGET(data, size);
}
