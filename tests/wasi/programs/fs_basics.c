// Files through raw WASI calls: open flags, read/write/seek/tell, pread/pwrite, append, sizes,
// fdstat and rights, close/renumber, preopen names, and their error paths.
#include "check.h"

static __wasi_size_t write_str(__wasi_fd_t fd, const char* s, __wasi_errno_t* err) {
  __wasi_ciovec_t iov = {(const uint8_t*)s, strlen(s)};
  __wasi_size_t n = 0;
  *err = __wasi_fd_write(fd, &iov, 1, &n);
  return n;
}

static void test_preopens(void) {
  __wasi_prestat_t pre;
  EXPECT_OK(__wasi_fd_prestat_get(SANDBOX_FD, &pre));
  EXPECT(pre.tag == __WASI_PREOPENTYPE_DIR && pre.u.dir.pr_name_len == 8);
  char name[16] = {0};
  EXPECT_OK(__wasi_fd_prestat_dir_name(SANDBOX_FD, (uint8_t*)name, sizeof name));
  EXPECT(strcmp(name, "/sandbox") == 0);
  EXPECT_ERRNO(__wasi_fd_prestat_dir_name(SANDBOX_FD, (uint8_t*)name, 3), __WASI_ERRNO_NAMETOOLONG);
  EXPECT_ERRNO(__wasi_fd_prestat_get(1, &pre), __WASI_ERRNO_BADF);
  EXPECT_ERRNO(__wasi_fd_prestat_get(99, &pre), __WASI_ERRNO_BADF);
}

static void test_read_write_seek(void) {
  __wasi_errno_t err;
  __wasi_fd_t fd = open_at(SANDBOX_FD, "basic.txt", __WASI_OFLAGS_CREAT, ALL_RIGHTS, 0, &err);
  EXPECT_OK(err);
  // Two iovecs in one write.
  __wasi_ciovec_t out[2] = {{(const uint8_t*)"hello ", 6}, {(const uint8_t*)"world", 5}};
  __wasi_size_t n = 0;
  EXPECT_OK(__wasi_fd_write(fd, out, 2, &n));
  EXPECT(n == 11);
  __wasi_filesize_t pos = 99;
  EXPECT_OK(__wasi_fd_tell(fd, &pos));
  EXPECT(pos == 11);
  EXPECT_OK(__wasi_fd_seek(fd, -5, __WASI_WHENCE_END, &pos));
  EXPECT(pos == 6);
  char a[3] = {0}, b[8] = {0};
  __wasi_iovec_t in[2] = {{(uint8_t*)a, 2}, {(uint8_t*)b, sizeof b}};
  EXPECT_OK(__wasi_fd_read(fd, in, 2, &n));
  EXPECT(n == 5 && memcmp(a, "wo", 2) == 0 && memcmp(b, "rld", 3) == 0);
  EXPECT_OK(__wasi_fd_read(fd, in, 2, &n));
  EXPECT(n == 0);  // end of file
  EXPECT_OK(__wasi_fd_seek(fd, 2, __WASI_WHENCE_SET, &pos));
  EXPECT_OK(__wasi_fd_seek(fd, 1, __WASI_WHENCE_CUR, &pos));
  EXPECT(pos == 3);
  EXPECT_ERRNO(__wasi_fd_seek(fd, 0, 3, &pos), __WASI_ERRNO_INVAL);
  EXPECT_ERRNO(__wasi_fd_seek(fd, -100, __WASI_WHENCE_SET, &pos), __WASI_ERRNO_INVAL);

  // pread/pwrite leave the position alone.
  __wasi_ciovec_t pw = {(const uint8_t*)"HELLO", 5};
  EXPECT_OK(__wasi_fd_pwrite(fd, &pw, 1, 0, &n));
  EXPECT(n == 5);
  char c[6] = {0};
  __wasi_iovec_t pr = {(uint8_t*)c, 5};
  EXPECT_OK(__wasi_fd_pread(fd, &pr, 1, 0, &n));
  EXPECT(n == 5 && memcmp(c, "HELLO", 5) == 0);
  EXPECT_OK(__wasi_fd_tell(fd, &pos));
  EXPECT(pos == 3);
  EXPECT_OK(__wasi_fd_pread(fd, &pr, 1, 100, &n));
  EXPECT(n == 0);

  // Size changes, allocation, sync and advice.
  EXPECT_OK(__wasi_fd_filestat_set_size(fd, 4));
  __wasi_filestat_t st;
  EXPECT_OK(__wasi_fd_filestat_get(fd, &st));
  EXPECT(st.size == 4 && st.filetype == __WASI_FILETYPE_REGULAR_FILE && st.nlink == 1);
  EXPECT_OK(__wasi_fd_allocate(fd, 0, 4096));
  EXPECT_OK(__wasi_fd_filestat_get(fd, &st));
  EXPECT(st.size == 4096);
  EXPECT_ERRNO(__wasi_fd_allocate(fd, 0x7fffffffffffffffull, 2), __WASI_ERRNO_FBIG);
  EXPECT_OK(__wasi_fd_sync(fd));
  EXPECT_OK(__wasi_fd_datasync(fd));
  EXPECT_OK(__wasi_fd_advise(fd, 0, 100, __WASI_ADVICE_SEQUENTIAL));
  EXPECT_ERRNO(__wasi_fd_advise(fd, 0, 100, 6), __WASI_ERRNO_INVAL);

  __wasi_fdstat_t fds;
  EXPECT_OK(__wasi_fd_fdstat_get(fd, &fds));
  EXPECT(fds.fs_filetype == __WASI_FILETYPE_REGULAR_FILE && fds.fs_flags == 0);
  EXPECT((fds.fs_rights_base & __WASI_RIGHTS_FD_WRITE) &&
         !(fds.fs_rights_base & __WASI_RIGHTS_PATH_OPEN));
  EXPECT_OK(__wasi_fd_fdstat_set_flags(fd, __WASI_FDFLAGS_APPEND | __WASI_FDFLAGS_NONBLOCK));
  EXPECT_OK(__wasi_fd_fdstat_get(fd, &fds));
  EXPECT(fds.fs_flags == (__WASI_FDFLAGS_APPEND | __WASI_FDFLAGS_NONBLOCK));
  EXPECT_ERRNO(__wasi_fd_fdstat_set_flags(fd, 0x20), __WASI_ERRNO_INVAL);

  // Dropping rights works, regaining them does not, and dropped rights are enforced.
  EXPECT_OK(__wasi_fd_fdstat_set_rights(fd, __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_SEEK, 0));
  EXPECT_ERRNO(__wasi_fd_fdstat_set_rights(fd, ALL_RIGHTS, 0), __WASI_ERRNO_NOTCAPABLE);
  write_str(fd, "x", &err);
  EXPECT_ERRNO(err, __WASI_ERRNO_NOTCAPABLE);
  EXPECT_ERRNO(__wasi_fd_tell(fd, &pos), __WASI_ERRNO_NOTCAPABLE);
  EXPECT_ERRNO(__wasi_fd_filestat_set_size(fd, 0), __WASI_ERRNO_NOTCAPABLE);
  EXPECT_OK(__wasi_fd_close(fd));
  // Closed: every call is badf.
  EXPECT_ERRNO(__wasi_fd_close(fd), __WASI_ERRNO_BADF);
  EXPECT_ERRNO(__wasi_fd_read(fd, in, 1, &n), __WASI_ERRNO_BADF);
  EXPECT_ERRNO(__wasi_fd_fdstat_get(fd, &fds), __WASI_ERRNO_BADF);
}

static void test_append_and_open_flags(void) {
  __wasi_errno_t err;
  write_file(SANDBOX_FD, "append.txt", "abc");
  __wasi_fd_t fd = open_at(SANDBOX_FD, "append.txt", 0, ALL_RIGHTS, __WASI_FDFLAGS_APPEND, &err);
  EXPECT_OK(err);
  __wasi_filesize_t pos;
  EXPECT_OK(__wasi_fd_seek(fd, 0, __WASI_WHENCE_SET, &pos));
  write_str(fd, "def", &err);
  EXPECT_OK(err);
  __wasi_filestat_t st;
  EXPECT_OK(__wasi_fd_filestat_get(fd, &st));
  EXPECT(st.size == 6);
  char buf[8] = {0};
  __wasi_iovec_t iov = {(uint8_t*)buf, sizeof buf};
  __wasi_size_t n;
  EXPECT_OK(__wasi_fd_pread(fd, &iov, 1, 0, &n));
  EXPECT(n == 6 && memcmp(buf, "abcdef", 6) == 0);
  EXPECT_OK(__wasi_fd_close(fd));

  open_at(SANDBOX_FD, "append.txt", __WASI_OFLAGS_CREAT | __WASI_OFLAGS_EXCL, ALL_RIGHTS, 0, &err);
  EXPECT_ERRNO(err, __WASI_ERRNO_EXIST);
  open_at(SANDBOX_FD, "append.txt", __WASI_OFLAGS_DIRECTORY, ALL_RIGHTS, 0, &err);
  EXPECT_ERRNO(err, __WASI_ERRNO_NOTDIR);
  open_at(SANDBOX_FD, "missing.txt", 0, __WASI_RIGHTS_FD_READ, 0, &err);
  EXPECT_ERRNO(err, __WASI_ERRNO_NOENT);
  open_at(SANDBOX_FD, "append.txt", 0x10, ALL_RIGHTS, 0, &err);
  EXPECT_ERRNO(err, __WASI_ERRNO_INVAL);
  fd = open_at(SANDBOX_FD, "append.txt", __WASI_OFLAGS_TRUNC, ALL_RIGHTS, 0, &err);
  EXPECT_OK(err);
  EXPECT_OK(__wasi_fd_filestat_get(fd, &st));
  EXPECT(st.size == 0);
  EXPECT_OK(__wasi_fd_close(fd));

  // A read-only descriptor cannot write; a directory cannot be opened for writing.
  fd = open_at(SANDBOX_FD, "append.txt", 0, __WASI_RIGHTS_FD_READ, 0, &err);
  EXPECT_OK(err);
  write_str(fd, "x", &err);
  EXPECT_ERRNO(err, __WASI_ERRNO_NOTCAPABLE);
  EXPECT_ERRNO(__wasi_fd_readdir(fd, (uint8_t*)buf, sizeof buf, 0, &n), __WASI_ERRNO_NOTCAPABLE);
  EXPECT_OK(__wasi_fd_close(fd));
  EXPECT_OK(__wasi_path_create_directory(SANDBOX_FD, "adir"));
  open_at(SANDBOX_FD, "adir", 0, __WASI_RIGHTS_FD_WRITE, 0, &err);
  EXPECT_ERRNO(err, __WASI_ERRNO_ISDIR);
  open_at(SANDBOX_FD, "adir", __WASI_OFLAGS_DIRECTORY, ALL_RIGHTS, 0, &err);
  EXPECT_ERRNO(err, __WASI_ERRNO_ISDIR);  // ALL_RIGHTS has fd_write
  fd = open_dir_at(SANDBOX_FD, "adir", &err);
  EXPECT_OK(err);
  __wasi_fdstat_t fds;
  EXPECT_OK(__wasi_fd_fdstat_get(fd, &fds));
  EXPECT(fds.fs_filetype == __WASI_FILETYPE_DIRECTORY &&
         (fds.fs_rights_base & __WASI_RIGHTS_PATH_OPEN));
  EXPECT_ERRNO(__wasi_fd_read(fd, &iov, 1, &n), __WASI_ERRNO_NOTCAPABLE);
  // A file opened inside the new directory descriptor.
  __wasi_fd_t inner = open_at(fd, "inner.txt", __WASI_OFLAGS_CREAT, ALL_RIGHTS, 0, &err);
  EXPECT_OK(err);
  EXPECT_OK(__wasi_fd_close(inner));
  EXPECT_OK(__wasi_fd_close(fd));
  // A file descriptor is not a directory for path calls.
  fd = open_at(SANDBOX_FD, "append.txt", 0, ALL_RIGHTS, 0, &err);
  open_at(fd, "x", 0, ALL_RIGHTS, 0, &err);
  EXPECT(err == __WASI_ERRNO_NOTDIR || err == __WASI_ERRNO_NOTCAPABLE);
  EXPECT_OK(__wasi_fd_close(fd));
}

static void test_renumber(void) {
  __wasi_errno_t err;
  write_file(SANDBOX_FD, "one.txt", "1");
  write_file(SANDBOX_FD, "two.txt", "22");
  __wasi_fd_t a = open_at(SANDBOX_FD, "one.txt", 0, ALL_RIGHTS, 0, &err);
  __wasi_fd_t b = open_at(SANDBOX_FD, "two.txt", 0, ALL_RIGHTS, 0, &err);
  EXPECT_ERRNO(__wasi_fd_renumber(a, 200), __WASI_ERRNO_BADF);  // target not open
  EXPECT_ERRNO(__wasi_fd_renumber(200, a), __WASI_ERRNO_BADF);
  EXPECT_OK(__wasi_fd_renumber(a, b));
  __wasi_filestat_t st;
  EXPECT_OK(__wasi_fd_filestat_get(b, &st));
  EXPECT(st.size == 1);  // b now is one.txt
  EXPECT_ERRNO(__wasi_fd_filestat_get(a, &st), __WASI_ERRNO_BADF);
  EXPECT_OK(__wasi_fd_renumber(b, b));
  EXPECT_OK(__wasi_fd_close(b));
}

int main(void) {
  test_preopens();
  test_read_write_seek();
  test_append_and_open_flags();
  test_renumber();
  return finish("fs_basics");
}
