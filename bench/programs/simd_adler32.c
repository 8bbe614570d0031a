// SIMD group: Adler-32 over a 1 MiB buffer in its vectorisable form. Within a block of L bytes
// s1 grows by the sum of the bytes and s2 by L * s1 plus the bytes weighted L, L-1, ..., 1; both
// are plain integer sums that clang vectorises, and one modulo per block keeps them exact
// (L = 5552 is zlib's largest block for which the 32-bit sums cannot overflow).
#include "bench.h"

#define BUF_SIZE (1 << 20)
#define ADLER_MOD 65521u
#define ADLER_BLOCK 5552u
static uint8_t buffer[BUF_SIZE];

static uint32_t adler32(uint32_t adler, const uint8_t* p, uint32_t len) {
  uint32_t s1 = adler & 0xffff, s2 = adler >> 16;
  while (len > 0) {
    uint32_t n = len < ADLER_BLOCK ? len : ADLER_BLOCK;
    uint32_t sum = 0, weighted = 0;
    for (uint32_t i = 0; i < n; i++) {
      sum += p[i];
      weighted += (n - i) * p[i];
    }
    s2 = (s2 + n * s1 + weighted) % ADLER_MOD;
    s1 = (s1 + sum) % ADLER_MOD;
    p += n;
    len -= n;
  }
  return s2 << 16 | s1;
}

static uint64_t bench(uint32_t rounds) {
  uint32_t seed = 31337;
  for (uint32_t i = 0; i < BUF_SIZE; i++) buffer[i] = (uint8_t)bench_rand(&seed);
  uint32_t adler = 1;
  uint64_t h = 0;
  for (uint32_t r = 0; r < rounds; r++) {
    buffer[(r * 40503u) % BUF_SIZE] ^= (uint8_t)adler;  // every round depends on the last
    adler = adler32(adler, buffer, BUF_SIZE);
    h = bench_mix(h, adler);
  }
  return h;
}

BENCH_MAIN(1200, 36)
