// SIMD group: f32 dot products of a set of query vectors against a set of stored vectors (a
// nearest-neighbour scoring kernel). Each dot product keeps 16 partial sums, one per lane of
// four f32x4 accumulators, so vectorising changes no rounding: native and wasm builds add in
// the same order and print the same bits.
#include "bench.h"

#define DIM 256
#define STORED 2048
#define QUERIES 16
#define LANES 16
static float stored[STORED][DIM];
static float queries[QUERIES][DIM];

static float dot(const float* restrict a, const float* restrict b) {
  float partial[LANES] = {0};
  for (int i = 0; i < DIM; i += LANES)
    for (int l = 0; l < LANES; l++) partial[l] += a[i + l] * b[i + l];
  float sum = 0;
  for (int l = 0; l < LANES; l++) sum += partial[l];
  return sum;
}

static float unit_float(uint32_t* seed) {  // in [-1, 1), exactly representable
  return (float)(int32_t)(bench_rand(seed) >> 8) / (float)(1 << 23) - 1.0f;
}

static uint64_t bench(uint32_t rounds) {
  uint32_t seed = 99;
  for (int v = 0; v < STORED; v++)
    for (int i = 0; i < DIM; i++) stored[v][i] = unit_float(&seed);
  for (int q = 0; q < QUERIES; q++)
    for (int i = 0; i < DIM; i++) queries[q][i] = unit_float(&seed);
  uint64_t h = 0;
  for (uint32_t r = 0; r < rounds; r++) {
    for (int q = 0; q < QUERIES; q++) {
      int best = 0;
      float best_score = dot(queries[q], stored[0]);
      for (int v = 1; v < STORED; v++) {
        float score = dot(queries[q], stored[v]);
        if (score > best_score) best_score = score, best = v;
      }
      h = bench_mix(h, (uint64_t)best);
      h = bench_mix(h, bench_double_bits(best_score));
      // Move the query towards its best match, so every round scores something new.
      for (int i = 0; i < DIM; i++) queries[q][i] = 0.75f * queries[q][i] + 0.25f * stored[best][i];
    }
  }
  return h;
}

BENCH_MAIN(360, 10)
