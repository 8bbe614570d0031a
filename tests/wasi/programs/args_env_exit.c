// argv and the environment as the host passed them (args: the module's path, "hello", "wörld",
// ""; env GREETING=hi, EMPTY=), through libc and the raw calls; then exit code 42 via exit().
#include <stdlib.h>

#include "check.h"

static int ends_with(const char* s, const char* suffix) {
  size_t n = strlen(s), m = strlen(suffix);
  return n >= m && strcmp(s + n - m, suffix) == 0;
}

int main(int argc, char** argv) {
  EXPECT(argc == 4);
  if (argc != 4) return finish("args_env_exit");
  EXPECT(ends_with(argv[0], "args_env_exit.wasm") && strcmp(argv[1], "hello") == 0);
  EXPECT(strcmp(argv[2], "w\xc3\xb6rld") == 0 && argv[3][0] == 0);
  EXPECT(argv[argc] == NULL);
  size_t len0 = strlen(argv[0]) + 1;
  __wasi_size_t count, size;
  EXPECT_OK(__wasi_args_sizes_get(&count, &size));
  EXPECT(count == 4 && size == len0 + 6 + 7 + 1);
  char buf[4096];
  char* ptrs[8];
  EXPECT(size <= sizeof buf);
  if (size > sizeof buf) return finish("args_env_exit");
  EXPECT_OK(__wasi_args_get((uint8_t**)ptrs, (uint8_t*)buf));
  EXPECT(ptrs[0] == buf && ptrs[1] == buf + len0 && strcmp(ptrs[2], "w\xc3\xb6rld") == 0);
  EXPECT(ptrs[3] == buf + len0 + 6 + 7 && ptrs[3][0] == 0);

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
