// Directory and name operations: create/remove directories, unlink, rename, hard and symbolic
// links, readlink (truncating to the buffer), symlink following in path_open, and errors.
#include "check.h"

static __wasi_filetype_t type_of(const char* path) {
  __wasi_filestat_t st;
  if (__wasi_path_filestat_get(SANDBOX_FD, 0, path, &st) != 0) return 255;
  return st.filetype;
}

int main(void) {
  __wasi_errno_t err;
  // Directories.
  EXPECT_OK(__wasi_path_create_directory(SANDBOX_FD, "d"));
  EXPECT_OK(__wasi_path_create_directory(SANDBOX_FD, "d/e/"));
  EXPECT_ERRNO(__wasi_path_create_directory(SANDBOX_FD, "d"), __WASI_ERRNO_EXIST);
  EXPECT_ERRNO(__wasi_path_create_directory(SANDBOX_FD, "nope/x"), __WASI_ERRNO_NOENT);
  EXPECT(type_of("d/e") == __WASI_FILETYPE_DIRECTORY);
  write_file(SANDBOX_FD, "d/e/file", "content");
  EXPECT_ERRNO(__wasi_path_remove_directory(SANDBOX_FD, "d"), __WASI_ERRNO_NOTEMPTY);
  EXPECT_ERRNO(__wasi_path_remove_directory(SANDBOX_FD, "d/e/file"), __WASI_ERRNO_NOTDIR);
  EXPECT_ERRNO(__wasi_path_unlink_file(SANDBOX_FD, "d/e"), __WASI_ERRNO_ISDIR);
  EXPECT_ERRNO(__wasi_path_unlink_file(SANDBOX_FD, "d/e/file/"), __WASI_ERRNO_NOTDIR);
  EXPECT_ERRNO(__wasi_path_unlink_file(SANDBOX_FD, "d/e/missing"), __WASI_ERRNO_NOENT);

  // Renames: a file, over an existing file, a directory, and the errors.
  EXPECT_OK(__wasi_path_rename(SANDBOX_FD, "d/e/file", SANDBOX_FD, "moved"));
  EXPECT(type_of("moved") == __WASI_FILETYPE_REGULAR_FILE && type_of("d/e/file") == 255);
  write_file(SANDBOX_FD, "other", "x");
  EXPECT_OK(__wasi_path_rename(SANDBOX_FD, "other", SANDBOX_FD, "moved"));
  __wasi_filestat_t st;
  EXPECT_OK(__wasi_path_filestat_get(SANDBOX_FD, 0, "moved", &st));
  EXPECT(st.size == 1);
  EXPECT_OK(__wasi_path_rename(SANDBOX_FD, "d/e", SANDBOX_FD, "e2"));
  EXPECT(type_of("e2") == __WASI_FILETYPE_DIRECTORY);
  EXPECT_ERRNO(__wasi_path_rename(SANDBOX_FD, "moved", SANDBOX_FD, "e2"), __WASI_ERRNO_ISDIR);
  EXPECT_ERRNO(__wasi_path_rename(SANDBOX_FD, "missing", SANDBOX_FD, "x"), __WASI_ERRNO_NOENT);
  EXPECT_ERRNO(__wasi_path_rename(SANDBOX_FD, "moved", SANDBOX_FD, "newname/"),
               __WASI_ERRNO_NOTDIR);
  write_file(SANDBOX_FD, "e2/inside", "y");
  EXPECT_ERRNO(__wasi_path_rename(SANDBOX_FD, "d", SANDBOX_FD, "e2"), __WASI_ERRNO_NOTEMPTY);
  // Across two directory descriptors.
  __wasi_fd_t d = open_dir_at(SANDBOX_FD, "d", &err);
  EXPECT_OK(err);
  EXPECT_OK(__wasi_path_rename(SANDBOX_FD, "moved", d, "in_d"));
  EXPECT(type_of("d/in_d") == __WASI_FILETYPE_REGULAR_FILE);

  // Hard links.
  EXPECT_OK(__wasi_path_link(d, 0, "in_d", SANDBOX_FD, "hard"));
  EXPECT_OK(__wasi_path_filestat_get(SANDBOX_FD, 0, "hard", &st));
  EXPECT(st.nlink == 2);
  EXPECT_ERRNO(__wasi_path_link(SANDBOX_FD, 0, "hard", SANDBOX_FD, "hard"), __WASI_ERRNO_EXIST);
  EXPECT_ERRNO(__wasi_path_link(SANDBOX_FD, 0, "missing", SANDBOX_FD, "h2"), __WASI_ERRNO_NOENT);
  EXPECT_ERRNO(__wasi_path_link(SANDBOX_FD, 0, "d", SANDBOX_FD, "dirlink"), __WASI_ERRNO_PERM);
  EXPECT_OK(__wasi_path_unlink_file(SANDBOX_FD, "hard"));
  EXPECT_OK(__wasi_path_filestat_get(d, 0, "in_d", &st));
  EXPECT(st.nlink == 1);

  // Symbolic links: relative targets inside, readlink, following in open and link.
  EXPECT_OK(__wasi_path_symlink("d/in_d", SANDBOX_FD, "sym"));
  EXPECT_OK(__wasi_path_symlink("../e2", d, "up"));  // d/up → e2, still inside
  EXPECT_OK(__wasi_path_symlink("dangling_target", SANDBOX_FD, "dangling"));
  EXPECT_ERRNO(__wasi_path_symlink("x", SANDBOX_FD, "sym"), __WASI_ERRNO_EXIST);
  char buf[64];
  __wasi_size_t used = 0;
  EXPECT_OK(__wasi_path_readlink(SANDBOX_FD, "sym", (uint8_t*)buf, sizeof buf, &used));
  EXPECT(used == 6 && memcmp(buf, "d/in_d", 6) == 0);
  memset(buf, '#', sizeof buf);
  EXPECT_OK(__wasi_path_readlink(SANDBOX_FD, "sym", (uint8_t*)buf, 3, &used));
  EXPECT(used == 3 && memcmp(buf, "d/i#", 4) == 0);  // truncated to the buffer, nothing past it
  EXPECT_ERRNO(__wasi_path_readlink(SANDBOX_FD, "d", (uint8_t*)buf, sizeof buf, &used),
               __WASI_ERRNO_INVAL);
  EXPECT_ERRNO(__wasi_path_readlink(SANDBOX_FD, "nope", (uint8_t*)buf, sizeof buf, &used),
               __WASI_ERRNO_NOENT);

  __wasi_fd_t fd;
  EXPECT_OK(__wasi_path_open(SANDBOX_FD, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "sym", 0,
                             __WASI_RIGHTS_FD_READ, 0, 0, &fd));
  __wasi_iovec_t iov = {(uint8_t*)buf, sizeof buf};
  EXPECT_OK(__wasi_fd_read(fd, &iov, 1, &used));
  EXPECT(used == 1 && buf[0] == 'x');
  EXPECT_OK(__wasi_fd_close(fd));
  // Without symlink_follow the final symlink is not opened.
  EXPECT_ERRNO(__wasi_path_open(SANDBOX_FD, 0, "sym", 0, __WASI_RIGHTS_FD_READ, 0, 0, &fd),
               __WASI_ERRNO_LOOP);
  // A symlink in the middle of a path is always followed.
  EXPECT_OK(__wasi_path_open(SANDBOX_FD, 0, "d/up/inside", 0, __WASI_RIGHTS_FD_READ, 0, 0, &fd));
  EXPECT_OK(__wasi_fd_close(fd));
  EXPECT_ERRNO(__wasi_path_open(SANDBOX_FD, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "dangling", 0,
                                __WASI_RIGHTS_FD_READ, 0, 0, &fd),
               __WASI_ERRNO_NOENT);
  // Linking through a symlink: followed or the link itself.
  EXPECT_OK(
      __wasi_path_link(SANDBOX_FD, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "sym", SANDBOX_FD, "via"));
  EXPECT(type_of("via") == __WASI_FILETYPE_REGULAR_FILE);
  EXPECT_OK(__wasi_path_link(SANDBOX_FD, 0, "sym", SANDBOX_FD, "via_link"));
  EXPECT(type_of("via_link") == __WASI_FILETYPE_SYMBOLIC_LINK);
  EXPECT_OK(__wasi_path_unlink_file(SANDBOX_FD, "sym"));  // removes the link, not the target
  EXPECT(type_of("sym") == 255 && type_of("d/in_d") == __WASI_FILETYPE_REGULAR_FILE);

  // Rights of the directory descriptor are checked per call.
  __wasi_fdstat_t fds;
  EXPECT_OK(__wasi_fd_fdstat_get(d, &fds));
  EXPECT_OK(__wasi_fd_fdstat_set_rights(
      d,
      fds.fs_rights_base & ~(__WASI_RIGHTS_PATH_CREATE_DIRECTORY | __WASI_RIGHTS_PATH_UNLINK_FILE |
                             __WASI_RIGHTS_PATH_SYMLINK | __WASI_RIGHTS_PATH_OPEN),
      fds.fs_rights_inheriting));
  EXPECT_ERRNO(__wasi_path_create_directory(d, "x"), __WASI_ERRNO_NOTCAPABLE);
  EXPECT_ERRNO(__wasi_path_unlink_file(d, "in_d"), __WASI_ERRNO_NOTCAPABLE);
  EXPECT_ERRNO(__wasi_path_symlink("in_d", d, "s"), __WASI_ERRNO_NOTCAPABLE);
  EXPECT_ERRNO(__wasi_path_open(d, 0, "in_d", 0, __WASI_RIGHTS_FD_READ, 0, 0, &fd),
               __WASI_ERRNO_NOTCAPABLE);
  EXPECT_OK(__wasi_fd_close(d));
  EXPECT_ERRNO(__wasi_path_create_directory(d, "x"), __WASI_ERRNO_BADF);
  // A descriptor may not ask for more than its directory passes on.
  EXPECT_OK(__wasi_fd_fdstat_get(SANDBOX_FD, &fds));
  EXPECT_ERRNO(
      __wasi_path_open(SANDBOX_FD, 0, "e2/inside", 0, __WASI_RIGHTS_SOCK_SHUTDOWN, 0, 0, &fd),
      __WASI_ERRNO_NOTCAPABLE);

  // Cleanup through the API leaves the directory empty.
  EXPECT_OK(__wasi_path_unlink_file(SANDBOX_FD, "e2/inside"));
  EXPECT_OK(__wasi_path_remove_directory(SANDBOX_FD, "e2/"));
  return finish("paths");
}
