// An LZ77-style compressor (hash of the next 4 bytes → last position, greedy matching) and its
// decompressor, round-tripped over generated text: hashing, unaligned loads, byte copies.
#include <string.h>

#include "bench.h"

#define INPUT_SIZE (1 << 20)
#define HASH_BITS 14
#define MIN_MATCH 4
#define MAX_MATCH 258
#define WINDOW 65535

static uint8_t input[INPUT_SIZE], packed[INPUT_SIZE + INPUT_SIZE / 8 + 16], unpacked[INPUT_SIZE];
static uint32_t last_seen[1 << HASH_BITS];

static uint32_t load32(const uint8_t* p) {
  uint32_t v;
  memcpy(&v, p, 4);
  return v;
}

static uint32_t hash4(const uint8_t* p) {
  return (load32(p) * 2654435761u) >> (32 - HASH_BITS);
}

// Token format: a control byte; < 128: that many + 1 literals follow; >= 128: a match of
// length (ctrl - 128 + MIN_MATCH) at the 2-byte little-endian distance that follows.
static uint32_t compress(const uint8_t* in, uint32_t len, uint8_t* out) {
  memset(last_seen, 0xff, sizeof last_seen);
  uint32_t pos = 0, o = 0, lit_start = 0;
  while (pos + MIN_MATCH <= len) {
    uint32_t h = hash4(in + pos), cand = last_seen[h];
    last_seen[h] = pos;
    uint32_t match = 0;
    if (cand != 0xffffffffu && pos - cand <= WINDOW && load32(in + cand) == load32(in + pos)) {
      uint32_t limit = len - pos < MIN_MATCH + 127 ? len - pos : MIN_MATCH + 127;
      match = MIN_MATCH;
      while (match < limit && in[cand + match] == in[pos + match]) match++;
    }
    if (match == 0) {
      pos++;
      continue;
    }
    while (lit_start < pos) {  // flush pending literals in runs of at most 128
      uint32_t run = pos - lit_start < 128 ? pos - lit_start : 128;
      out[o++] = (uint8_t)(run - 1);
      memcpy(out + o, in + lit_start, run);
      o += run, lit_start += run;
    }
    uint32_t dist = pos - cand;
    out[o++] = (uint8_t)(128 + match - MIN_MATCH);
    out[o++] = (uint8_t)dist;
    out[o++] = (uint8_t)(dist >> 8);
    pos += match;
    lit_start = pos;
  }
  while (lit_start < len) {
    uint32_t run = len - lit_start < 128 ? len - lit_start : 128;
    out[o++] = (uint8_t)(run - 1);
    memcpy(out + o, in + lit_start, run);
    o += run, lit_start += run;
  }
  return o;
}

static uint32_t decompress(const uint8_t* in, uint32_t len, uint8_t* out) {
  uint32_t i = 0, o = 0;
  while (i < len) {
    uint32_t ctrl = in[i++];
    if (ctrl < 128) {
      memcpy(out + o, in + i, ctrl + 1);
      i += ctrl + 1, o += ctrl + 1;
    } else {
      uint32_t n = ctrl - 128 + MIN_MATCH, dist = in[i] | (uint32_t)in[i + 1] << 8;
      i += 2;
      for (uint32_t k = 0; k < n; k++, o++) out[o] = out[o - dist];  // may overlap: byte copy
    }
  }
  return o;
}

static void make_input(uint32_t seed) {
  static const char* const vocab[] = {"the ",  "quick ", "brown ", "fox ",  "jumps ", "over ",
                                      "lazy ", "dog ",   "and ",   "runs ", "away ",  "again "};
  uint32_t pos = 0;
  while (pos < INPUT_SIZE) {
    uint32_t r = bench_rand(&seed);
    if (r % 5 == 0) {
      input[pos++] = (uint8_t)(r >> 8);  // noise so not everything matches
    } else {
      const char* w = vocab[(r >> 3) % 12];
      while (*w && pos < INPUT_SIZE) input[pos++] = (uint8_t)*w++;
    }
  }
}

static uint64_t bench(uint32_t rounds) {
  uint64_t h = 0;
  for (uint32_t r = 0; r < rounds; r++) {
    make_input(r + 1);
    uint32_t packed_len = compress(input, INPUT_SIZE, packed);
    uint32_t unpacked_len = decompress(packed, packed_len, unpacked);
    int same = unpacked_len == INPUT_SIZE && memcmp(input, unpacked, INPUT_SIZE) == 0;
    h = bench_mix(h, packed_len);
    h = bench_mix(h, (uint64_t)same);
  }
  return h;
}

BENCH_MAIN(36, 2)
