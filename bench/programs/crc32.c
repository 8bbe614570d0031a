// CRC-32 (IEEE, reflected) with a 256-entry table over a generated buffer: byte loads, table
// lookups, shifts and xors.
#include "bench.h"

#define BUF_SIZE (1 << 20)
static uint8_t buffer[BUF_SIZE];
static uint32_t crc_table[256];

static void make_table(void) {
  for (uint32_t i = 0; i < 256; i++) {
    uint32_t c = i;
    for (int k = 0; k < 8; k++) c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
    crc_table[i] = c;
  }
}

static uint32_t crc32(uint32_t crc, const uint8_t* p, uint32_t len) {
  crc = ~crc;
  for (uint32_t i = 0; i < len; i++) crc = crc_table[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
  return ~crc;
}

static uint64_t bench(uint32_t rounds) {
  make_table();
  uint32_t seed = 2024;
  for (uint32_t i = 0; i < BUF_SIZE; i++) buffer[i] = (uint8_t)bench_rand(&seed);
  uint32_t crc = 0;
  for (uint32_t r = 0; r < rounds; r++) {
    buffer[r % BUF_SIZE] ^= (uint8_t)crc;  // make every round depend on the last
    crc = crc32(crc, buffer, BUF_SIZE);
  }
  return crc;
}

BENCH_MAIN(120, 10)
