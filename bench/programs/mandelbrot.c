// Mandelbrot set membership on an n x n grid: f64 compare/multiply in a data-dependent loop.
#include "bench.h"

static uint64_t bench(uint32_t n) {
  uint64_t h = 0;
  for (uint32_t y = 0; y < n; y++) {
    uint32_t row_bits = 0;
    double ci = 2.0 * y / n - 1.0;
    for (uint32_t x = 0; x < n; x++) {
      double cr = 2.0 * x / n - 1.5;
      double zr = 0, zi = 0, tr = 0, ti = 0;
      int iter = 0;
      for (; iter < 50 && tr + ti <= 4.0; iter++) {
        zi = 2.0 * zr * zi + ci;
        zr = tr - ti + cr;
        tr = zr * zr;
        ti = zi * zi;
      }
      row_bits = row_bits * 31 + (uint32_t)iter;
    }
    h = bench_mix(h, row_bits);
  }
  return h;
}

BENCH_MAIN(2200, 500)
