// A CoreMark-like workload, written for Tern's suite after CoreMark's published description
// (EEMBC's sources are not packaged by Debian): every iteration runs the same four kernels on
// a 2000-byte working set and folds their results into a CRC-16, as CoreMark does.
//   - list: a linked list of (value, index) records is searched, merge-sorted by value,
//     reversed and merge-sorted back by index: pointer chasing and unpredictable branches;
//   - matrix: small int16 matrices added, scaled, multiplied by a vector and by each other, one
//     product also read through bit-field extraction: loops of loads, multiplies and adds;
//   - state: a scanner classifies comma-separated numbers (integer, decimal, scientific,
//     invalid) with a switch-driven state machine, on the text and on a corrupted copy;
//   - crc: a bitwise CRC-16 over every result.
// bench/run runs it beside bench/programs (not part of their geomean): `coremark [iterations]`.
#include "../bench.h"

#define WORKING_SET 2000
#define LIST_NODES (WORKING_SET / 3 / 16)
#define MATRIX_N 12
#define STATE_BYTES (WORKING_SET / 3)

// ---- CRC-16 (CCITT polynomial, bit by bit, as CoreMark's crcu8) ----
static uint16_t crc_byte(uint8_t data, uint16_t crc) {
  for (int i = 0; i < 8; i++) {
    uint16_t mix = (uint16_t)((crc ^ data) & 1);
    crc >>= 1;
    if (mix) crc ^= 0xA001;
    data >>= 1;
  }
  return crc;
}
static uint16_t crc_u16(uint16_t v, uint16_t crc) {
  return crc_byte((uint8_t)(v >> 8), crc_byte((uint8_t)v, crc));
}
static uint16_t crc_u32(uint32_t v, uint16_t crc) {
  return crc_u16((uint16_t)(v >> 16), crc_u16((uint16_t)v, crc));
}

// ---- list ----
struct record {
  int16_t value;
  int16_t index;
};
struct node {
  struct node* next;
  struct record* rec;
};
static struct node nodes[LIST_NODES];
static struct record records[LIST_NODES];

typedef int (*compare_fn)(const struct record*, const struct record*);

// The value compared is a function of the stored one, recomputed on every compare.
static int16_t derived_value(int16_t v) {
  int16_t low = v & 0x7f;
  return (int16_t)(((v >> 7) & 0x3) == 0 ? low * 3 + 1 : low ^ 0x55);
}
static int by_value(const struct record* a, const struct record* b) {
  return derived_value(a->value) - derived_value(b->value);
}
static int by_index(const struct record* a, const struct record* b) {
  return a->index - b->index;
}

static struct node* list_init(uint32_t seed) {
  for (int i = 0; i < LIST_NODES; i++) {
    records[i].value = (int16_t)(bench_rand(&seed) & 0x7fff);
    records[i].index = (int16_t)i;
    nodes[i].rec = &records[i];
    nodes[i].next = i + 1 < LIST_NODES ? &nodes[i + 1] : 0;
  }
  return &nodes[0];
}

static struct node* list_find(struct node* list, int16_t value) {
  while (list && derived_value(list->rec->value) != value) list = list->next;
  return list;
}

static struct node* list_reverse(struct node* list) {
  struct node* out = 0;
  while (list) {
    struct node* next = list->next;
    list->next = out;
    out = list;
    list = next;
  }
  return out;
}

// Bottom-up merge sort of a singly linked list, without recursion (as CoreMark's).
static struct node* list_sort(struct node* list, compare_fn cmp) {
  for (int width = 1;; width *= 2) {
    struct node *p = list, *tail = 0;
    list = 0;
    int merges = 0;
    while (p) {
      merges++;
      struct node* q = p;
      int psize = 0;
      for (int i = 0; i < width && q; i++, psize++) q = q->next;
      int qsize = width;
      while (psize > 0 || (qsize > 0 && q)) {
        struct node* e;
        if (psize == 0) {
          e = q, q = q->next, qsize--;
        } else if (qsize == 0 || !q || cmp(p->rec, q->rec) <= 0) {
          e = p, p = p->next, psize--;
        } else {
          e = q, q = q->next, qsize--;
        }
        if (tail)
          tail->next = e;
        else
          list = e;
        tail = e;
      }
      p = q;
    }
    tail->next = 0;
    if (merges <= 1) return list;
  }
}

static uint16_t list_kernel(struct node** list, int16_t seed, uint16_t crc) {
  int found = 0, missed = 0;
  for (int i = 0; i < 8; i++) {
    int16_t wanted = (int16_t)((seed + i * 37) & 0xff);
    struct node* n = list_find(*list, wanted);
    if (n) {
      found++;
      crc = crc_u16((uint16_t)n->rec->index, crc);
    } else {
      missed++;
    }
    *list = list_reverse(*list);
  }
  *list = list_sort(*list, by_value);
  for (struct node* n = *list; n; n = n->next) crc = crc_u16((uint16_t)n->rec->value, crc);
  // Perturb one record so that every iteration sorts a different list.
  struct node* victim = *list;
  for (int i = 0; i < (seed & 31) && victim->next; i++) victim = victim->next;
  victim->rec->value = (int16_t)((victim->rec->value + seed) & 0x7fff);
  *list = list_sort(*list, by_index);
  return crc_u16((uint16_t)(found * 4 + missed), crc);
}

// ---- matrix ----
static int16_t mat_a[MATRIX_N * MATRIX_N], mat_b[MATRIX_N * MATRIX_N];
static int32_t mat_c[MATRIX_N * MATRIX_N];

static void matrix_init(uint32_t seed) {
  for (int i = 0; i < MATRIX_N * MATRIX_N; i++) {
    mat_a[i] = (int16_t)(bench_rand(&seed) & 0xff);
    mat_b[i] = (int16_t)(bench_rand(&seed) & 0xff);
  }
}

static int16_t matrix_sum(int32_t clip) {
  int32_t tmp = 0, prev = 0;
  int16_t ret = 0;
  for (int i = 0; i < MATRIX_N * MATRIX_N; i++) {
    int32_t cur = mat_c[i];
    tmp += cur;
    if (tmp > clip) {
      ret += 10;
      tmp = 0;
    } else {
      ret += cur > prev ? 1 : 0;
    }
    prev = cur;
  }
  return ret;
}

static uint16_t matrix_kernel(int16_t value, uint16_t crc) {
  const int n = MATRIX_N;
  int32_t clip = (int32_t)(0xf000 | value);
  for (int i = 0; i < n * n; i++) mat_a[i] = (int16_t)(mat_a[i] + value);
  for (int i = 0; i < n * n; i++) mat_c[i] = (int32_t)mat_a[i] * value;
  crc = crc_u16((uint16_t)matrix_sum(clip), crc);
  for (int i = 0; i < n; i++) {
    int32_t acc = 0;
    for (int j = 0; j < n; j++) acc += (int32_t)mat_a[i * n + j] * mat_b[j];
    mat_c[i] = acc;
  }
  crc = crc_u16((uint16_t)matrix_sum(clip), crc);
  for (int i = 0; i < n; i++) {
    for (int j = 0; j < n; j++) {
      int32_t acc = 0;
      for (int k = 0; k < n; k++) acc += (int32_t)mat_a[i * n + k] * mat_b[k * n + j];
      mat_c[i * n + j] = acc;
    }
  }
  crc = crc_u16((uint16_t)matrix_sum(clip), crc);
  for (int i = 0; i < n; i++) {
    for (int j = 0; j < n; j++) {
      int32_t acc = 0;
      for (int k = 0; k < n; k++) {
        int32_t product = (int32_t)mat_a[i * n + k] * mat_b[k * n + j];
        acc += ((product >> 2) & 0xf) * ((product >> 5) & 0x7f);
      }
      mat_c[i * n + j] = acc;
    }
  }
  crc = crc_u16((uint16_t)matrix_sum(clip), crc);
  for (int i = 0; i < n * n; i++) mat_a[i] = (int16_t)(mat_a[i] - value);
  return crc;
}

// ---- state machine ----
enum state { START, INVALID, S1, S2, INT, FLOAT, EXPONENT, SCIENTIFIC, NUM_STATES };
static char text[STATE_BYTES + 1];
static const char* const samples[] = {
    "5012",     "1234",     "-874",     "+122",     "35.54400", "0.1234",   "-110.700", "+0.64400",
    "5.500e+3", "-.123e-2", "-87e+832", "+0.6e-12", "T0.3e-1F", "-T.T++Tq", "1T3.4e4z", "34.0e-T^"};

static void state_init(uint32_t seed) {
  int at = 0;
  for (;;) {
    const char* s = samples[bench_rand(&seed) % (sizeof samples / sizeof samples[0])];
    int len = 0;
    while (s[len]) len++;
    if (at + len + 1 >= STATE_BYTES) break;
    for (int i = 0; i < len; i++) text[at++] = s[i];
    text[at++] = ',';
  }
  text[at] = 0;
}

static int is_digit(char c) {
  return c >= '0' && c <= '9';
}

// Scans one token from *p (up to a comma or the end); returns its final state.
static enum state next_state(const char** p, uint32_t* transitions) {
  const char* s = *p;
  enum state st = START;
  for (; *s && st != INVALID; s++) {
    char c = *s;
    if (c == ',') {
      s++;
      break;
    }
    enum state before = st;
    switch (st) {
      case START:
        if (is_digit(c))
          st = INT;
        else if (c == '+' || c == '-')
          st = S1;
        else if (c == '.')
          st = FLOAT;
        else
          st = INVALID;
        break;
      case S1:
        if (is_digit(c))
          st = INT;
        else if (c == '.')
          st = FLOAT;
        else
          st = INVALID;
        break;
      case INT:
        if (c == '.')
          st = FLOAT;
        else if (!is_digit(c))
          st = INVALID;
        break;
      case FLOAT:
        if (c == 'E' || c == 'e')
          st = S2;
        else if (!is_digit(c))
          st = INVALID;
        break;
      case S2:
        if (c == '+' || c == '-')
          st = EXPONENT;
        else
          st = INVALID;
        break;
      case EXPONENT:
        if (is_digit(c))
          st = SCIENTIFIC;
        else
          st = INVALID;
        break;
      case SCIENTIFIC:
        if (!is_digit(c)) st = INVALID;
        break;
      default:
        break;
    }
    if (st != before) transitions[st]++;
  }
  // An invalid token is skipped up to its comma.
  while (*s && s[-1] != ',') s++;
  *p = s;
  return st;
}

static uint16_t scan(uint16_t crc) {
  uint32_t finals[NUM_STATES] = {0}, transitions[NUM_STATES] = {0};
  const char* p = text;
  while (*p) finals[next_state(&p, transitions)]++;
  for (int i = 0; i < NUM_STATES; i++) {
    crc = crc_u32(finals[i], crc);
    crc = crc_u32(transitions[i], crc);
  }
  return crc;
}

static uint16_t state_kernel(uint16_t seed, uint16_t crc) {
  crc = scan(crc);
  // Corrupt every step-th character, scan again, then restore.
  int step = 2 + (seed & 7);
  for (int i = 0; text[i]; i += step) text[i] ^= (char)(seed & 0x1f);
  crc = scan(crc);
  for (int i = 0; text[i]; i += step) text[i] ^= (char)(seed & 0x1f);
  return crc;
}

// ---- the benchmark ----
static uint64_t bench(uint32_t iterations) {
  struct node* list = list_init(0x3415);
  matrix_init(0x66);
  state_init(0x1234);
  uint16_t crc = 0;
  uint64_t checksum = 0;
  for (uint32_t it = 0; it < iterations; it++) {
    int16_t seed = (int16_t)(it ^ crc);
    crc = list_kernel(&list, seed, crc);
    crc = matrix_kernel((int16_t)(seed & 0xff), crc);
    crc = state_kernel((uint16_t)seed, crc);
    checksum = bench_mix(checksum, crc);
  }
  return checksum;
}

BENCH_MAIN(28000, 1400)
