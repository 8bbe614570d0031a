// argv and the environment as the host passed them (args "prog" "hello" "wörld" "";
// env GREETING=hi, EMPTY=), through libc and the raw calls; then exit code 42 via exit().
#include <stdlib.h>

#include "check.h"

int main(int argc, char** argv) {
  EXPECT(argc == 4);
  if (argc == 4) {
    EXPECT(strcmp(argv[0], "prog") == 0 && strcmp(argv[1], "hello") == 0);
    EXPECT(strcmp(argv[2], "w\xc3\xb6rld") == 0 && argv[3][0] == 0);
  }
  EXPECT(argv[argc] == NULL);
  __wasi_size_t count, size;
  EXPECT_OK(__wasi_args_sizes_get(&count, &size));
  EXPECT(count == 4 && size == 5 + 6 + 7 + 1);
  char buf[64];
  char* ptrs[8];
  EXPECT_OK(__wasi_args_get((uint8_t**)ptrs, (uint8_t*)buf));
  EXPECT(ptrs[0] == buf && ptrs[1] == buf + 5 && strcmp(ptrs[2], "w\xc3\xb6rld") == 0);

  const char* g = getenv("GREETING");
  EXPECT(g && strcmp(g, "hi") == 0);
  const char* e = getenv("EMPTY");
  EXPECT(e && e[0] == 0);
  EXPECT(getenv("PATH") == NULL);  // nothing from the host leaks in
  EXPECT_OK(__wasi_environ_sizes_get(&count, &size));
  EXPECT(count == 2 && size == 12 + 7);
  EXPECT_OK(__wasi_environ_get((uint8_t**)ptrs, (uint8_t*)buf));
  EXPECT(strcmp(ptrs[0], "GREETING=hi") == 0 && strcmp(ptrs[1], "EMPTY=") == 0);
  finish("args_env_exit");
  fflush(stdout);
  exit(g_failures ? 1 : 42);
}
