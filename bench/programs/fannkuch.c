// Fannkuch-redux: permutations, prefix reversals and a checksum, all on small int arrays.
#include "bench.h"

#define MAX_N 12

static uint64_t bench(uint32_t n) {
  if (n > MAX_N) n = MAX_N;
  int32_t perm[MAX_N], perm1[MAX_N], count[MAX_N];
  int32_t max_flips = 0, checksum = 0, perm_count = 0;
  for (uint32_t i = 0; i < n; i++) perm1[i] = (int32_t)i;
  uint32_t r = n;
  for (;;) {
    for (; r != 1; r--) count[r - 1] = (int32_t)r;
    for (uint32_t i = 0; i < n; i++) perm[i] = perm1[i];
    int32_t flips = 0;
    for (int32_t k = perm[0]; k != 0; k = perm[0]) {
      for (int32_t i = 0, j = k; i < j; i++, j--) {
        int32_t t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
      }
      flips++;
    }
    if (flips > max_flips) max_flips = flips;
    checksum += (perm_count % 2 == 0) ? flips : -flips;
    // Next permutation in the rotation order the benchmark defines.
    for (;;) {
      if (r == n) return ((uint64_t)(uint32_t)checksum << 32) | (uint32_t)max_flips;
      int32_t first = perm1[0];
      for (uint32_t i = 0; i < r; i++) perm1[i] = perm1[i + 1];
      perm1[r] = first;
      if (--count[r] > 0) break;
      r++;
    }
    perm_count++;
  }
}

BENCH_MAIN(10, 9)
