// Sieve of Eratosthenes over a byte array, repeated: byte loads/stores in tight loops.
#include "bench.h"

#define LIMIT 4000000
static uint8_t composite[LIMIT + 1];

static uint64_t bench(uint32_t rounds) {
  uint64_t total = 0;
  for (uint32_t r = 0; r < rounds; r++) {
    uint32_t limit = LIMIT - r;  // vary the bound so rounds are not identical
    for (uint32_t i = 0; i <= limit; i++) composite[i] = 0;
    uint32_t count = 0;
    for (uint32_t i = 2; i <= limit; i++) {
      if (composite[i]) continue;
      count++;
      for (uint64_t j = (uint64_t)i * i; j <= limit; j += i) composite[j] = 1;
    }
    total = bench_mix(total, count);
  }
  return total;
}

BENCH_MAIN(40, 3)
