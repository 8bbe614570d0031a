// SIMD group: byte scanning over a 4 MiB text, as `wc` and `memchr` do. Counting newlines,
// spaces and non-ASCII bytes is a compare-and-add per byte; finding a rare byte tests 64-byte
// blocks for any match first (an OR of compares, vectorised) and looks inside only a block
// that has one.
#include "bench.h"

#define TEXT_SIZE (4 << 20)
#define BLOCK 64
static uint8_t text[TEXT_SIZE];

struct counts {
  uint32_t lines, spaces, high;
};

// Counts in 8-bit lanes over runs of 255 bytes (so they cannot wrap), then adds them up.
static struct counts count_classes(const uint8_t* p, uint32_t len) {
  struct counts c = {0, 0, 0};
  for (uint32_t start = 0; start < len; start += 255) {
    uint32_t end = len - start < 255 ? len : start + 255;
    uint8_t lines = 0, spaces = 0, high = 0;
    for (uint32_t i = start; i < end; i++) {
      lines += p[i] == '\n';
      spaces += p[i] == ' ';
      high += p[i] >= 0x80;
    }
    c.lines += lines;
    c.spaces += spaces;
    c.high += high;
  }
  return c;
}

// Index of the first `byte` at or after `from`, or `len` when there is none.
static uint32_t find_byte(const uint8_t* p, uint32_t from, uint32_t len, uint8_t byte) {
  uint32_t i = from;
  for (; i < len && i % BLOCK; i++)
    if (p[i] == byte) return i;
  for (; i + BLOCK <= len; i += BLOCK) {
    uint8_t hits = 0;  // a sum rather than an OR: clang reduces it with shuffles and adds
    for (uint32_t k = 0; k < BLOCK; k++) hits += p[i + k] == byte;
    if (hits) break;
  }
  for (; i < len; i++)
    if (p[i] == byte) return i;
  return len;
}

static uint64_t bench(uint32_t rounds) {
  uint32_t seed = 4242;
  for (uint32_t i = 0; i < TEXT_SIZE; i++) {
    uint32_t r = bench_rand(&seed);
    uint8_t b = (uint8_t)('a' + r % 26);
    if (r % 7 == 0) b = ' ';
    if (r % 61 == 0) b = '\n';
    if (r % 97 == 0) b = (uint8_t)(0x80 | (r >> 24));
    if (r % 40009 == 0) b = '#';
    text[i] = b;
  }
  uint64_t h = 0;
  for (uint32_t r = 0; r < rounds; r++) {
    struct counts c = count_classes(text, TEXT_SIZE);
    h = bench_mix(h, c.lines);
    h = bench_mix(h, c.spaces);
    h = bench_mix(h, c.high);
    uint32_t found = 0;
    for (uint32_t at = find_byte(text, 0, TEXT_SIZE, '#'); at < TEXT_SIZE;
         at = find_byte(text, at + 1, TEXT_SIZE, '#')) {
      h = bench_mix(h, at);
      found++;
    }
    h = bench_mix(h, found);
    text[(r * 2654435761u) % TEXT_SIZE] = (uint8_t)(r & 1 ? '\n' : '#');  // rounds differ
  }
  return h;
}

BENCH_MAIN(420, 12)
