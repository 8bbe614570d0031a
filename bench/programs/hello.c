// The start-up probe: the smallest WASI program that does something visible.
#include <stdio.h>

int main(void) {
  puts("hello");
  return 0;
}
