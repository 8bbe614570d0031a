// Sorting: a hand-written quicksort, a bottom-up mergesort and libc qsort (comparator calls
// through a function pointer) over the same pseudo-random array.
#include <stdlib.h>
#include <string.h>

#include "bench.h"

#define MAX_LEN (1u << 20)
static int32_t input[MAX_LEN], work[MAX_LEN], scratch[MAX_LEN];

static void quicksort(int32_t* v, int32_t lo, int32_t hi) {
  while (lo < hi) {
    int32_t pivot = v[lo + (hi - lo) / 2], i = lo, j = hi;
    while (i <= j) {
      while (v[i] < pivot) i++;
      while (v[j] > pivot) j--;
      if (i <= j) {
        int32_t t = v[i];
        v[i++] = v[j];
        v[j--] = t;
      }
    }
    // Recurse into the smaller half so the stack stays O(log n).
    if (j - lo < hi - i) {
      quicksort(v, lo, j);
      lo = i;
    } else {
      quicksort(v, i, hi);
      hi = j;
    }
  }
}

static void mergesort(int32_t* v, int32_t* tmp, uint32_t len) {
  for (uint32_t width = 1; width < len; width *= 2) {
    for (uint32_t lo = 0; lo < len; lo += 2 * width) {
      uint32_t mid = lo + width < len ? lo + width : len;
      uint32_t hi = lo + 2 * width < len ? lo + 2 * width : len;
      uint32_t i = lo, j = mid, k = lo;
      while (i < mid && j < hi) tmp[k++] = v[i] <= v[j] ? v[i++] : v[j++];
      while (i < mid) tmp[k++] = v[i++];
      while (j < hi) tmp[k++] = v[j++];
    }
    int32_t* t = v;
    v = tmp;
    tmp = t;
  }
  // After an odd number of passes the sorted data is in the scratch buffer.
  if (v != work) memcpy(work, v, len * sizeof *v);
}

static int compare_i32(const void* a, const void* b) {
  int32_t x = *(const int32_t*)a, y = *(const int32_t*)b;
  return (x > y) - (x < y);
}

static uint64_t checksum(const int32_t* v, uint32_t len) {
  uint64_t h = 0;
  for (uint32_t i = 0; i < len; i++) {
    if (i > 0 && v[i - 1] > v[i]) return 0;  // not sorted: a checksum no correct run prints
    h = bench_mix(h, (uint32_t)v[i]);
  }
  return h;
}

static uint64_t bench(uint32_t len) {
  if (len > MAX_LEN) len = MAX_LEN;
  uint32_t seed = 7;
  for (uint32_t i = 0; i < len; i++) input[i] = (int32_t)bench_rand(&seed);
  uint64_t h = 0;
  memcpy(work, input, len * sizeof *input);
  quicksort(work, 0, (int32_t)len - 1);
  h = bench_mix(h, checksum(work, len));
  memcpy(work, input, len * sizeof *input);
  mergesort(work, scratch, len);
  h = bench_mix(h, checksum(work, len));
  memcpy(work, input, len * sizeof *input);
  qsort(work, len, sizeof *work, compare_i32);
  return bench_mix(h, checksum(work, len));
}

BENCH_MAIN(1000000, 100000)
