// Counts the words of the text files named on the command line and prints the most frequent.
// A small but real WASI program: arguments, file I/O through a preopened directory, stdout,
// the exit status.
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_WORD 64

struct entry {
  char word[MAX_WORD];
  unsigned count;
};

static struct entry* table;
static size_t table_cap = 4096, table_used;

static unsigned hash(const char* s) {
  unsigned h = 2166136261u;  // FNV-1a
  for (; *s; ++s) h = (h ^ (unsigned char)*s) * 16777619u;
  return h;
}

static void grow(void);

static void add_word(const char* w) {
  if (table_used * 2 >= table_cap) grow();
  size_t i = hash(w) & (table_cap - 1);
  while (table[i].count && strcmp(table[i].word, w) != 0) i = (i + 1) & (table_cap - 1);
  if (!table[i].count) {
    strcpy(table[i].word, w);
    ++table_used;
  }
  ++table[i].count;
}

static void grow(void) {
  struct entry* old = table;
  size_t old_cap = table_cap;
  table_cap *= 2;
  table = calloc(table_cap, sizeof *table);
  table_used = 0;
  for (size_t i = 0; i < old_cap; ++i)
    for (unsigned n = 0; n < old[i].count; ++n) add_word(old[i].word);
  free(old);
}

static int by_count(const void* a, const void* b) {
  const struct entry* x = a;
  const struct entry* y = b;
  if (x->count != y->count) return x->count < y->count ? 1 : -1;
  return strcmp(x->word, y->word);
}

int main(int argc, char** argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: wordfreq FILE...\n");
    return 2;
  }
  table = calloc(table_cap, sizeof *table);
  unsigned long total = 0;
  for (int f = 1; f < argc; ++f) {
    FILE* in = fopen(argv[f], "r");
    if (!in) {
      perror(argv[f]);
      return 1;
    }
    char word[MAX_WORD];
    size_t len = 0;
    for (int c; (c = fgetc(in)) != EOF;) {
      if (isalpha(c) || (c == '\'' && len)) {
        if (len + 1 < MAX_WORD) word[len++] = (char)tolower(c);
      } else if (len) {
        word[len] = 0;
        add_word(word);
        ++total;
        len = 0;
      }
    }
    if (len) {
      word[len] = 0;
      add_word(word);
      ++total;
    }
    fclose(in);
  }
  qsort(table, table_cap, sizeof *table, by_count);
  printf("%lu words, %zu distinct\n", total, table_used);
  for (size_t i = 0; i < table_used && i < 10; ++i)
    printf("%6u  %s\n", table[i].count, table[i].word);
  return 0;
}
