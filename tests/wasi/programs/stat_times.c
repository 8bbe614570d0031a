// fd_filestat_get / path_filestat_get (with and without following symlinks) and setting
// times by value, to "now", and the flag errors.
#include "check.h"

#define SEC 1000000000ull

int main(void) {
  EXPECT(sizeof(__wasi_filestat_t) == 64);
  write_file(SANDBOX_FD, "f", "12345");
  EXPECT_OK(__wasi_path_symlink("f", SANDBOX_FD, "link"));
  EXPECT_OK(__wasi_path_create_directory(SANDBOX_FD, "d"));

  __wasi_filestat_t st, lst, dst;
  EXPECT_OK(__wasi_path_filestat_get(SANDBOX_FD, 0, "f", &st));
  EXPECT(st.filetype == __WASI_FILETYPE_REGULAR_FILE && st.size == 5 && st.nlink == 1);
  EXPECT(st.ino != 0 && st.mtim > 1600000000ull * SEC);
  EXPECT_OK(__wasi_path_filestat_get(SANDBOX_FD, 0, "link", &lst));
  EXPECT(lst.filetype == __WASI_FILETYPE_SYMBOLIC_LINK && lst.size == 1 && lst.ino != st.ino);
  EXPECT_OK(__wasi_path_filestat_get(SANDBOX_FD, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "link", &lst));
  EXPECT(lst.filetype == __WASI_FILETYPE_REGULAR_FILE && lst.ino == st.ino);
  EXPECT_OK(__wasi_path_filestat_get(SANDBOX_FD, 0, "d", &dst));
  EXPECT(dst.filetype == __WASI_FILETYPE_DIRECTORY);
  EXPECT_OK(__wasi_path_filestat_get(SANDBOX_FD, 0, "d/", &dst));
  EXPECT_ERRNO(__wasi_path_filestat_get(SANDBOX_FD, 0, "f/", &dst), __WASI_ERRNO_NOTDIR);
  EXPECT_ERRNO(__wasi_path_filestat_get(SANDBOX_FD, 0, "nope", &dst), __WASI_ERRNO_NOENT);
  EXPECT_ERRNO(__wasi_path_filestat_get(SANDBOX_FD, 0, "", &dst), __WASI_ERRNO_NOENT);

  // Exact times, nanoseconds included.
  const __wasi_timestamp_t atim = 1000 * SEC + 123456789, mtim = 2000 * SEC + 987654321;
  EXPECT_OK(__wasi_path_filestat_set_times(SANDBOX_FD, 0, "f", atim, mtim,
                                           __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM));
  EXPECT_OK(__wasi_path_filestat_get(SANDBOX_FD, 0, "f", &st));
  EXPECT(st.atim == atim && st.mtim == mtim);
  // Only mtim: atim stays.
  EXPECT_OK(
      __wasi_path_filestat_set_times(SANDBOX_FD, 0, "f", 0, 3000 * SEC, __WASI_FSTFLAGS_MTIM));
  EXPECT_OK(__wasi_path_filestat_get(SANDBOX_FD, 0, "f", &st));
  EXPECT(st.atim == atim && st.mtim == 3000 * SEC);
  // Through the symlink, following it.
  EXPECT_OK(__wasi_path_filestat_set_times(SANDBOX_FD, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "link",
                                           5 * SEC, 6 * SEC,
                                           __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM));
  EXPECT_OK(__wasi_path_filestat_get(SANDBOX_FD, 0, "f", &st));
  EXPECT(st.atim == 5 * SEC && st.mtim == 6 * SEC);
  // The symlink itself.
  EXPECT_OK(__wasi_path_filestat_set_times(SANDBOX_FD, 0, "link", 7 * SEC, 8 * SEC,
                                           __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM));
  EXPECT_OK(__wasi_path_filestat_get(SANDBOX_FD, 0, "link", &lst));
  EXPECT(lst.mtim == 8 * SEC);
  EXPECT_OK(__wasi_path_filestat_get(SANDBOX_FD, 0, "f", &st));
  EXPECT(st.mtim == 6 * SEC);

  // "now".
  __wasi_timestamp_t now;
  EXPECT_OK(__wasi_clock_time_get(__WASI_CLOCKID_REALTIME, 1, &now));
  EXPECT_OK(__wasi_path_filestat_set_times(SANDBOX_FD, 0, "f", 0, 0,
                                           __WASI_FSTFLAGS_ATIM_NOW | __WASI_FSTFLAGS_MTIM_NOW));
  EXPECT_OK(__wasi_path_filestat_get(SANDBOX_FD, 0, "f", &st));
  EXPECT(st.mtim + 5 * SEC > now && st.mtim < now + 5 * SEC);

  // Conflicting and unknown flags.
  EXPECT_ERRNO(__wasi_path_filestat_set_times(SANDBOX_FD, 0, "f", 1, 1,
                                              __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_ATIM_NOW),
               __WASI_ERRNO_INVAL);
  EXPECT_ERRNO(__wasi_path_filestat_set_times(SANDBOX_FD, 0, "f", 1, 1,
                                              __WASI_FSTFLAGS_MTIM | __WASI_FSTFLAGS_MTIM_NOW),
               __WASI_ERRNO_INVAL);
  EXPECT_ERRNO(__wasi_path_filestat_set_times(SANDBOX_FD, 0, "f", 1, 1, 0x10), __WASI_ERRNO_INVAL);
  EXPECT_ERRNO(__wasi_path_filestat_set_times(SANDBOX_FD, 0, "nope", 1, 1, __WASI_FSTFLAGS_MTIM),
               __WASI_ERRNO_NOENT);

  // The descriptor variants.
  __wasi_errno_t err;
  __wasi_fd_t fd = open_at(SANDBOX_FD, "f", 0, ALL_RIGHTS, 0, &err);
  EXPECT_OK(err);
  EXPECT_OK(__wasi_fd_filestat_set_times(fd, 11 * SEC + 1, 12 * SEC + 2,
                                         __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM));
  EXPECT_OK(__wasi_fd_filestat_get(fd, &st));
  EXPECT(st.atim == 11 * SEC + 1 && st.mtim == 12 * SEC + 2 && st.size == 5);
  EXPECT_ERRNO(
      __wasi_fd_filestat_set_times(fd, 1, 1, __WASI_FSTFLAGS_MTIM | __WASI_FSTFLAGS_MTIM_NOW),
      __WASI_ERRNO_INVAL);
  // Hard links show in nlink.
  EXPECT_OK(__wasi_path_link(SANDBOX_FD, 0, "f", SANDBOX_FD, "f2"));
  EXPECT_OK(__wasi_fd_filestat_get(fd, &st));
  EXPECT(st.nlink == 2);
  EXPECT_OK(__wasi_fd_fdstat_set_rights(fd, __WASI_RIGHTS_FD_READ, 0));
  EXPECT_ERRNO(__wasi_fd_filestat_get(fd, &st), __WASI_ERRNO_NOTCAPABLE);
  EXPECT_ERRNO(__wasi_fd_filestat_set_times(fd, 0, 0, __WASI_FSTFLAGS_MTIM_NOW),
               __WASI_ERRNO_NOTCAPABLE);
  EXPECT_OK(__wasi_fd_close(fd));
  EXPECT_ERRNO(__wasi_fd_filestat_get(fd, &st), __WASI_ERRNO_BADF);
  return finish("stat_times");
}
