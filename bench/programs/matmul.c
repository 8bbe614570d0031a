// Dense matrix multiply in doubles (i-k-j order), repeated with the product fed back in:
// f64 loads, stores, mul/add and the loop nest a compiler vectorizes natively.
#include "bench.h"

#define DIM 200
static double a[DIM * DIM], b[DIM * DIM], c[DIM * DIM];

static uint64_t bench(uint32_t rounds) {
  uint32_t seed = 12345;
  for (uint32_t i = 0; i < DIM * DIM; i++) {
    a[i] = (double)(bench_rand(&seed) % 1000) / 1000.0 - 0.5;
    b[i] = (double)(bench_rand(&seed) % 1000) / 1000.0 - 0.5;
  }
  uint64_t h = 0;
  for (uint32_t r = 0; r < rounds; r++) {
    for (uint32_t i = 0; i < DIM * DIM; i++) c[i] = 0.0;
    for (uint32_t i = 0; i < DIM; i++)
      for (uint32_t k = 0; k < DIM; k++) {
        double aik = a[i * DIM + k];
        for (uint32_t j = 0; j < DIM; j++) c[i * DIM + j] += aik * b[k * DIM + j];
      }
    // Feed the product back, scaled to keep values bounded, so each round is real work.
    for (uint32_t i = 0; i < DIM * DIM; i++) a[i] = c[i] * (1.0 / DIM);
    h = bench_mix(h, bench_double_bits(c[r % (DIM * DIM)]));
  }
  return h;
}

BENCH_MAIN(200, 15)
