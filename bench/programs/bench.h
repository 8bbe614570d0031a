// The one entry point every benchmark program shares.
//
// A program defines `static uint64_t bench(uint32_t n)` (the workload at size n, returning a
// checksum of everything it computed) and ends with BENCH_MAIN(full_n, small_n): full_n runs
// about 0.3 s natively, small_n about 15 ms (bench/run reads both from here). Two builds:
//   - normal (native or wasm32-wasi): `prog [n]` prints bench(n) in decimal, n = full_n when
//     omitted;
//   - -DBENCH_EXPORT: no main and no WASI imports, only an exported `run()` returning
//     bench(small_n), for engines without WASI (wabt's wasm-interp --run-all-exports).
// Everything is integer or IEEE double arithmetic without libm (sqrt is exact), so native and
// wasm builds must print the same number.
#pragma once

#include <stdint.h>

#ifdef BENCH_EXPORT
#define BENCH_MAIN(full_n, small_n)                        \
  __attribute__((export_name("run"))) uint64_t run(void) { \
    return bench(small_n);                                 \
  }
#else
#include <stdio.h>
#include <stdlib.h>
#define BENCH_MAIN(full_n, small_n)                                                 \
  int main(int argc, char** argv) {                                                 \
    uint32_t n = argc > 1 ? (uint32_t)strtoul(argv[1], 0, 10) : (uint32_t)(full_n); \
    printf("%llu\n", (unsigned long long)bench(n));                                 \
    return 0;                                                                       \
  }
#endif

// A small deterministic generator (xorshift32) so inputs are identical on every target.
static inline uint32_t bench_rand(uint32_t* state) {
  uint32_t x = *state;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  return *state = x;
}

// Mixes a value into a running 64-bit checksum (FNV-1a style over the whole word).
static inline uint64_t bench_mix(uint64_t h, uint64_t v) {
  return (h ^ v) * 0x100000001b3ull;
}

static inline uint64_t bench_double_bits(double d) {
  uint64_t b;
  __builtin_memcpy(&b, &d, sizeof b);
  return b;
}
