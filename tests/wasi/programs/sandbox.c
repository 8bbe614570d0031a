// Attempts to leave the preopened directory. The test host created, next to the sandbox,
// outside.txt and outside_dir/, and inside it: escape_rel → ../outside.txt,
// escape_abs → <absolute path of outside.txt>, escape_dir → ../outside_dir, and a directory
// "inner". Every attempt must fail with the errno named here; the host then checks nothing
// outside changed.
#include "check.h"

#define NOTCAP __WASI_ERRNO_NOTCAPABLE

static void expect_open_refused(const char* path, __wasi_lookupflags_t follow,
                                __wasi_oflags_t oflags) {
  __wasi_fd_t fd = 1234;
  __wasi_errno_t err = __wasi_path_open(SANDBOX_FD, follow, path, oflags,
                                        __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE, 0, 0, &fd);
  ++g_checks;
  if (err != NOTCAP || fd != 1234) {
    ++g_failures;
    printf("FAIL open %s: errno %d fd %u\n", path, err, fd);
  }
}

int main(void) {
  const __wasi_lookupflags_t F = __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW;
  // ".." out of the preopen, directly and after going down first.
  expect_open_refused("../outside.txt", F, 0);
  expect_open_refused("inner/../../outside.txt", F, 0);
  expect_open_refused("..", F, __WASI_OFLAGS_DIRECTORY);
  expect_open_refused("../created.txt", F, __WASI_OFLAGS_CREAT);
  // Absolute paths.
  expect_open_refused("/etc/passwd", F, 0);
  expect_open_refused("/", F, __WASI_OFLAGS_DIRECTORY);
  // Symlinks pointing outside, as the final component and in the middle of a path.
  expect_open_refused("escape_rel", F, 0);
  expect_open_refused("escape_abs", F, 0);
  expect_open_refused("escape_dir/anything", 0, __WASI_OFLAGS_CREAT);
  expect_open_refused("escape_dir/", F, __WASI_OFLAGS_DIRECTORY);
  expect_open_refused("inner/../escape_dir/x", 0, __WASI_OFLAGS_CREAT);
  // Without following, the final symlink is refused for what it is.
  __wasi_fd_t fd;
  EXPECT_ERRNO(__wasi_path_open(SANDBOX_FD, 0, "escape_rel", 0, __WASI_RIGHTS_FD_READ, 0, 0, &fd),
               __WASI_ERRNO_LOOP);

  // Every path call refuses the same paths.
  __wasi_filestat_t st;
  EXPECT_ERRNO(__wasi_path_filestat_get(SANDBOX_FD, 0, "../outside.txt", &st), NOTCAP);
  EXPECT_ERRNO(__wasi_path_filestat_get(SANDBOX_FD, F, "escape_rel", &st), NOTCAP);
  EXPECT_ERRNO(__wasi_path_filestat_get(SANDBOX_FD, F, "escape_dir/.", &st), NOTCAP);
  EXPECT_ERRNO(__wasi_path_filestat_get(SANDBOX_FD, 0, "/etc", &st), NOTCAP);
  EXPECT_ERRNO(__wasi_path_filestat_get(SANDBOX_FD, 0, "..", &st), NOTCAP);
  EXPECT_ERRNO(
      __wasi_path_filestat_set_times(SANDBOX_FD, F, "escape_rel", 1, 1, __WASI_FSTFLAGS_MTIM),
      NOTCAP);
  EXPECT_ERRNO(
      __wasi_path_filestat_set_times(SANDBOX_FD, 0, "../outside.txt", 1, 1, __WASI_FSTFLAGS_MTIM),
      NOTCAP);
  EXPECT_ERRNO(__wasi_path_create_directory(SANDBOX_FD, "../newdir"), NOTCAP);
  EXPECT_ERRNO(__wasi_path_create_directory(SANDBOX_FD, "escape_dir/newdir"), NOTCAP);
  EXPECT_ERRNO(__wasi_path_unlink_file(SANDBOX_FD, "../outside.txt"), NOTCAP);
  EXPECT_ERRNO(__wasi_path_unlink_file(SANDBOX_FD, "/tmp/x"), NOTCAP);
  EXPECT_ERRNO(__wasi_path_remove_directory(SANDBOX_FD, "../outside_dir"), NOTCAP);
  EXPECT_ERRNO(__wasi_path_remove_directory(SANDBOX_FD, "escape_dir/."), NOTCAP);
  char buf[32];
  __wasi_size_t used;
  EXPECT_ERRNO(__wasi_path_readlink(SANDBOX_FD, "../x", (uint8_t*)buf, sizeof buf, &used), NOTCAP);
  EXPECT_ERRNO(__wasi_path_rename(SANDBOX_FD, "../outside.txt", SANDBOX_FD, "stolen"), NOTCAP);
  EXPECT_ERRNO(__wasi_path_rename(SANDBOX_FD, "inner", SANDBOX_FD, "../moved_out"), NOTCAP);
  EXPECT_ERRNO(__wasi_path_rename(SANDBOX_FD, "inner", SANDBOX_FD, "escape_dir/moved_out"), NOTCAP);
  // Hard links to files outside: by "..", by an absolute path, through an escaping symlink.
  EXPECT_ERRNO(__wasi_path_link(SANDBOX_FD, 0, "../outside.txt", SANDBOX_FD, "hl1"), NOTCAP);
  EXPECT_ERRNO(__wasi_path_link(SANDBOX_FD, 0, "/etc/passwd", SANDBOX_FD, "hl2"), NOTCAP);
  EXPECT_ERRNO(__wasi_path_link(SANDBOX_FD, F, "escape_rel", SANDBOX_FD, "hl3"), NOTCAP);
  EXPECT_ERRNO(__wasi_path_link(SANDBOX_FD, F, "escape_dir/.", SANDBOX_FD, "hl4"), NOTCAP);
  write_file(SANDBOX_FD, "mine", "m");
  EXPECT_ERRNO(__wasi_path_link(SANDBOX_FD, 0, "mine", SANDBOX_FD, "../hl5"), NOTCAP);
  // Symlinks whose targets leave.
  EXPECT_ERRNO(__wasi_path_symlink("../outside.txt", SANDBOX_FD, "s1"), NOTCAP);
  EXPECT_ERRNO(__wasi_path_symlink("/etc/passwd", SANDBOX_FD, "s2"), NOTCAP);
  EXPECT_ERRNO(__wasi_path_symlink("inner/../../outside.txt", SANDBOX_FD, "s3"), NOTCAP);
  EXPECT_ERRNO(__wasi_path_symlink("../../outside.txt", SANDBOX_FD, "inner/s4"), NOTCAP);
  EXPECT_OK(__wasi_path_symlink("../mine", SANDBOX_FD, "inner/s5"));  // stays inside
  EXPECT_ERRNO(__wasi_path_symlink("mine", SANDBOX_FD, "../s6"), NOTCAP);

  // The preopen itself cannot be removed or renamed away.
  EXPECT_ERRNO(__wasi_path_remove_directory(SANDBOX_FD, "."), __WASI_ERRNO_INVAL);
  EXPECT_ERRNO(__wasi_path_remove_directory(SANDBOX_FD, ""), __WASI_ERRNO_NOENT);
  EXPECT_ERRNO(__wasi_path_rename(SANDBOX_FD, ".", SANDBOX_FD, "renamed"), __WASI_ERRNO_BUSY);
  EXPECT_ERRNO(__wasi_path_rename(SANDBOX_FD, "..", SANDBOX_FD, "renamed"), NOTCAP);

  // A directory opened inside is bound by the same root.
  __wasi_fd_t inner;
  EXPECT_OK(__wasi_path_open(SANDBOX_FD, 0, "inner", __WASI_OFLAGS_DIRECTORY,
                             ALL_RIGHTS & ~__WASI_RIGHTS_FD_WRITE, ALL_RIGHTS, 0, &inner));
  EXPECT_ERRNO(__wasi_path_open(inner, F, "../../outside.txt", 0, __WASI_RIGHTS_FD_READ, 0, 0, &fd),
               NOTCAP);
  // It may not climb even to its parent (resolution is beneath the descriptor used).
  EXPECT_ERRNO(__wasi_path_open(inner, F, "../mine", 0, __WASI_RIGHTS_FD_READ, 0, 0, &fd), NOTCAP);
  EXPECT_ERRNO(__wasi_path_symlink("../../outside.txt", inner, "s7"), NOTCAP);

  // Closed preopen: nothing reachable through it any more.
  EXPECT_OK(__wasi_fd_close(inner));
  EXPECT_ERRNO(__wasi_path_open(inner, 0, "mine", 0, __WASI_RIGHTS_FD_READ, 0, 0, &fd),
               __WASI_ERRNO_BADF);
  EXPECT_OK(__wasi_fd_close(SANDBOX_FD));
  EXPECT_ERRNO(__wasi_path_open(SANDBOX_FD, 0, "mine", 0, __WASI_RIGHTS_FD_READ, 0, 0, &fd),
               __WASI_ERRNO_BADF);
  __wasi_prestat_t pre;
  EXPECT_ERRNO(__wasi_fd_prestat_get(SANDBOX_FD, &pre), __WASI_ERRNO_BADF);
  return finish("sandbox");
}
