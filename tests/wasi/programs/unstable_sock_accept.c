// Imports sock_accept from wasi_unstable, which never had it: instantiation must fail.
#include <stdint.h>

#include "check.h"

WASI_IMPORT("wasi_unstable", "sock_accept")
int32_t u_sock_accept(int32_t fd, int32_t flags, uint32_t out);

int main(void) {
  uint32_t fd;
  return u_sock_accept(3, 0, (uint32_t)(uintptr_t)&fd) == 0;
}
