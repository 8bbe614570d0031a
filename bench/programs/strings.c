// String and memory-block work through libc: memcpy/memmove/memset/memcmp/strlen/strchr/strstr
// on a log-like text built from pieces, then searched and rewritten.
#include <string.h>

#include "bench.h"

#define TEXT_SIZE (1 << 18)
static char text[TEXT_SIZE + 256], copy[TEXT_SIZE + 256];

static const char* const words[] = {"alpha", "bravo", "charlie", "delta",   "echo", "foxtrot",
                                    "golf",  "hotel", "india",   "juliett", "kilo", "lima"};
#define NUM_WORDS (sizeof words / sizeof words[0])

// Fills `text` with lines of words; returns its length.
static uint32_t build_text(uint32_t* seed) {
  uint32_t len = 0;
  while (len < TEXT_SIZE) {
    const char* w = words[bench_rand(seed) % NUM_WORDS];
    size_t wl = strlen(w);
    memcpy(text + len, w, wl);
    len += (uint32_t)wl;
    text[len++] = (bench_rand(seed) % 8 == 0) ? '\n' : ' ';
  }
  text[len] = 0;
  return len;
}

static uint64_t bench(uint32_t rounds) {
  uint32_t seed = 99;
  uint64_t h = 0;
  for (uint32_t r = 0; r < rounds; r++) {
    uint32_t len = build_text(&seed);
    // Count lines and the longest one with strchr.
    uint32_t lines = 0, longest = 0;
    for (const char* p = text; *p;) {
      const char* nl = strchr(p, '\n');
      uint32_t line_len = nl ? (uint32_t)(nl - p) : (uint32_t)strlen(p);
      if (line_len > longest) longest = line_len;
      lines++;
      p += line_len + (nl ? 1 : 0);
    }
    // Count occurrences of a word with strstr.
    uint32_t hits = 0;
    for (const char* p = text; (p = strstr(p, words[r % NUM_WORDS])) != 0; p++) hits++;
    // Shift blocks around with memmove and compare them with memcmp.
    memcpy(copy, text, len + 1);
    uint32_t same = 0;
    for (uint32_t off = 0; off + 4096 < len; off += 1021) {
      memmove(copy + off + 7, copy + off, 2048);
      same += memcmp(copy + off, text + off, 64) == 0;
      memset(copy + off, 'x', 5);
    }
    h = bench_mix(h, lines);
    h = bench_mix(h, longest);
    h = bench_mix(h, hits);
    h = bench_mix(h, same);
    h = bench_mix(h, (uint8_t)copy[len / 2]);
  }
  return h;
}

BENCH_MAIN(600, 50)
