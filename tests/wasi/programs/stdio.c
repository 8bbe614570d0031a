// stdin, stdout and stderr as the host set them up: reads the host's stdin text, echoes it
// upper-cased with printf and a gathered fd_write, writes to stderr, and checks their fdstat.
#include <ctype.h>

#include "check.h"

int main(void) {
  char line[128] = {0};
  size_t n = fread(line, 1, sizeof line - 1, stdin);
  EXPECT(n == 12 && memcmp(line, "hello stdin\n", 12) == 0);
  EXPECT(feof(stdin));
  for (size_t i = 0; i < n; ++i) line[i] = (char)toupper((unsigned char)line[i]);
  printf("echo: %s", line);
  fflush(stdout);
  __wasi_ciovec_t iov[3] = {
      {(const uint8_t*)"gathered ", 9}, {(const uint8_t*)"", 0}, {(const uint8_t*)"write\n", 6}};
  __wasi_size_t written = 0;
  EXPECT_OK(__wasi_fd_write(1, iov, 3, &written));
  EXPECT(written == 15);
  fprintf(stderr, "to stderr\n");

  __wasi_fdstat_t st;
  EXPECT_OK(__wasi_fd_fdstat_get(1, &st));
  EXPECT(st.fs_rights_base & __WASI_RIGHTS_FD_WRITE);
  EXPECT_OK(__wasi_fd_fdstat_get(0, &st));
  EXPECT(st.fs_rights_base & __WASI_RIGHTS_FD_READ);
  // stdio descriptors are no directories.
  __wasi_fd_t fd;
  EXPECT_ERRNO(__wasi_path_open(1, 0, "x", 0, 0, 0, 0, &fd), __WASI_ERRNO_NOTCAPABLE);
  __wasi_prestat_t pre;
  EXPECT_ERRNO(__wasi_fd_prestat_get(0, &pre), __WASI_ERRNO_BADF);
  return finish("stdio");
}
