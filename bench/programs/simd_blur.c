// SIMD group: a 3x3 Gaussian blur (weights 1 2 1 / 2 4 2 / 1 2 1, sum 16) over an 8-bit
// grey image, repeated n times between two buffers. It is done separably, as image libraries
// do: a vertical pass widens bytes to 16-bit column sums, a horizontal pass adds neighbouring
// sums and narrows back; clang vectorises both loops over x.
#include "bench.h"

#define WIDTH 1024
#define HEIGHT 768
static uint8_t image[2][HEIGHT][WIDTH];
static uint16_t column_sums[WIDTH];

static void vertical(uint16_t* restrict sums, const uint8_t* restrict up,
                     const uint8_t* restrict mid, const uint8_t* restrict down) {
  for (int x = 0; x < WIDTH; x++) sums[x] = (uint16_t)(up[x] + 2 * mid[x] + down[x]);
}

// The three taps come in as three pointers and the function is not inlined: seeing that they
// overlap, clang would carry loads from one iteration to the next instead of vectorising.
__attribute__((noinline)) static void horizontal(uint8_t* restrict out,
                                                 const uint16_t* restrict left,
                                                 const uint16_t* restrict centre,
                                                 const uint16_t* restrict right, int n) {
  for (int x = 0; x < n; x++)
    out[x] = (uint8_t)((uint16_t)(left[x] + 2 * centre[x] + right[x] + 8) >> 4);
}

static uint64_t bench(uint32_t passes) {
  uint32_t seed = 77;
  for (int y = 0; y < HEIGHT; y++)
    for (int x = 0; x < WIDTH; x++)  // a gradient with noise, so blurring keeps changing it
      image[0][y][x] = (uint8_t)((x ^ y) + (bench_rand(&seed) & 63));
  for (uint32_t p = 0; p < passes; p++) {
    uint8_t(*src)[WIDTH] = image[p & 1];
    uint8_t(*dst)[WIDTH] = image[(p & 1) ^ 1];
    for (int y = 1; y < HEIGHT - 1; y++) {
      vertical(column_sums, src[y - 1], src[y], src[y + 1]);
      horizontal(dst[y] + 1, column_sums, column_sums + 1, column_sums + 2, WIDTH - 2);
      dst[y][0] = src[y][0];  // the border columns and rows are copied
      dst[y][WIDTH - 1] = src[y][WIDTH - 1];
    }
    for (int x = 0; x < WIDTH; x++) {
      dst[0][x] = src[0][x];
      dst[HEIGHT - 1][x] = src[HEIGHT - 1][x];
    }
    dst[p % HEIGHT][(p * 7) % WIDTH] ^= 0xff;  // a changing speck, so passes never settle
  }
  uint64_t h = 14695981039346656037ull;
  const uint8_t(*result)[WIDTH] = image[passes & 1];
  for (int y = 0; y < HEIGHT; y++) {
    uint32_t row = 0;
    for (int x = 0; x < WIDTH; x++) row = row * 31 + result[y][x];
    h = bench_mix(h, row);
  }
  return h;
}

BENCH_MAIN(2000, 60)
