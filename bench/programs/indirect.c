// Indirect calls: a data-dependent chain of calls through a table of function pointers, which
// wasm compiles to call_indirect with a signature check.
#include "bench.h"

typedef uint32_t (*step_fn)(uint32_t);

static uint32_t op_add(uint32_t x) {
  return x + 0x9e3779b9u;
}
static uint32_t op_xor(uint32_t x) {
  return x ^ (x >> 15);
}
static uint32_t op_mul(uint32_t x) {
  return x * 0x85ebca6bu;
}
static uint32_t op_rot(uint32_t x) {
  return (x << 7) | (x >> 25);
}
static uint32_t op_neg(uint32_t x) {
  return ~x + 3;
}
static uint32_t op_shl(uint32_t x) {
  return x ^ (x << 9);
}
static uint32_t op_sub(uint32_t x) {
  return x - 0x27d4eb2du;
}
static uint32_t op_swp(uint32_t x) {
  return (x >> 16) | (x << 16);
}

// Volatile so the compiler cannot see which functions the table holds and inline them.
static step_fn volatile table[8] = {op_add, op_xor, op_mul, op_rot, op_neg, op_shl, op_sub, op_swp};

static uint64_t bench(uint32_t n) {
  step_fn local[8];
  for (int i = 0; i < 8; i++) local[i] = table[i];
  uint32_t x = 1;
  uint64_t h = 0;
  for (uint32_t i = 0; i < n; i++) {
    x = local[(x ^ i) & 7](x);
    if ((i & 0xffff) == 0) h = bench_mix(h, x);
  }
  return bench_mix(h, x);
}

BENCH_MAIN(200000000, 15000000)
