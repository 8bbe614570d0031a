// Recursive Fibonacci: call/return overhead and small-function code quality.
#include "bench.h"

static uint32_t fib(uint32_t n) {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

static uint64_t bench(uint32_t n) {
  return fib(n);
}

BENCH_MAIN(40, 32)
