// fd_readdir: the dirent layout, "." and "..", cookies, resuming, truncated entries, and
// libc's opendir/readdir on top.
#include <dirent.h>
#include <stdlib.h>

#include "check.h"

struct seen {
  int dot, dotdot, a, bb, sub;
};

// Walks a raw fd_readdir buffer; returns the number of complete entries.
static int scan(const uint8_t* buf, size_t used, struct seen* s, __wasi_dircookie_t* last_next) {
  size_t off = 0;
  int count = 0;
  while (off + sizeof(__wasi_dirent_t) <= used) {
    __wasi_dirent_t d;
    memcpy(&d, buf + off, sizeof d);
    if (off + sizeof d + d.d_namlen > used) break;
    const char* name = (const char*)buf + off + sizeof d;
    int is_dir = d.d_type == __WASI_FILETYPE_DIRECTORY;
    if (d.d_namlen == 1 && name[0] == '.') s->dot += is_dir ? 1 : 100;
    if (d.d_namlen == 2 && memcmp(name, "..", 2) == 0) s->dotdot++;
    if (d.d_namlen == 1 && name[0] == 'a')
      s->a += d.d_type == __WASI_FILETYPE_REGULAR_FILE ? 1 : 100;
    if (d.d_namlen == 2 && memcmp(name, "bb", 2) == 0) s->bb++;
    if (d.d_namlen == 3 && memcmp(name, "sub", 3) == 0) s->sub += is_dir ? 1 : 100;
    EXPECT(d.d_ino != 0);
    EXPECT(d.d_next == *last_next + 1);  // cookies count entries
    *last_next = d.d_next;
    off += sizeof d + d.d_namlen;
    ++count;
  }
  return count;
}

int main(void) {
  EXPECT(sizeof(__wasi_dirent_t) == 24);
  EXPECT_OK(__wasi_path_create_directory(SANDBOX_FD, "list"));
  __wasi_errno_t err;
  __wasi_fd_t dir = open_dir_at(SANDBOX_FD, "list", &err);
  EXPECT_OK(err);
  write_file(dir, "a", "1");
  write_file(dir, "bb", "22");
  EXPECT_OK(__wasi_path_create_directory(dir, "sub"));

  // Everything in one call.
  uint8_t buf[512];
  __wasi_size_t used = 0;
  EXPECT_OK(__wasi_fd_readdir(dir, buf, sizeof buf, 0, &used));
  EXPECT(used < sizeof buf);  // less than the buffer: the end of the directory
  struct seen s = {0};
  __wasi_dircookie_t next = 0;
  EXPECT(scan(buf, used, &s, &next) == 5);
  EXPECT(s.dot == 1 && s.dotdot == 1 && s.a == 1 && s.bb == 1 && s.sub == 1);

  // Resuming from each cookie, one entry's worth of buffer at a time: every entry once.
  struct seen s2 = {0};
  __wasi_dircookie_t cookie = 0;
  for (int round = 0; round < 20; ++round) {
    uint8_t small[sizeof(__wasi_dirent_t) + 3];
    EXPECT_OK(__wasi_fd_readdir(dir, small, sizeof small, cookie, &used));
    if (used == 0) break;
    __wasi_dircookie_t before = cookie;
    EXPECT(scan(small, used, &s2, &cookie) == 1);
    EXPECT(cookie == before + 1);
  }
  EXPECT(s2.dot == 1 && s2.dotdot == 1 && s2.a == 1 && s2.bb == 1 && s2.sub == 1);

  // A buffer too small for one entry gets the truncated start of it, filled to the end.
  uint8_t tiny[10];
  EXPECT_OK(__wasi_fd_readdir(dir, tiny, sizeof tiny, 0, &used));
  EXPECT(used == sizeof tiny);
  // Past the end: nothing.
  EXPECT_OK(__wasi_fd_readdir(dir, buf, sizeof buf, 1000, &used));
  EXPECT(used == 0);

  // Errors: not a directory, bad descriptor, missing right.
  __wasi_fd_t file = open_at(dir, "a", 0, ALL_RIGHTS, 0, &err);
  EXPECT_ERRNO(__wasi_fd_readdir(file, buf, sizeof buf, 0, &used), __WASI_ERRNO_NOTCAPABLE);
  EXPECT_ERRNO(__wasi_fd_readdir(1234, buf, sizeof buf, 0, &used), __WASI_ERRNO_BADF);
  __wasi_fdstat_t fds;
  EXPECT_OK(__wasi_fd_fdstat_get(dir, &fds));
  EXPECT_ERRNO(__wasi_fd_fdstat_set_rights(dir, fds.fs_rights_base | __WASI_RIGHTS_FD_WRITE, 0),
               __WASI_ERRNO_NOTCAPABLE);  // a directory never has fd_write to drop
  EXPECT_OK(__wasi_fd_fdstat_set_rights(dir, fds.fs_rights_base & ~__WASI_RIGHTS_FD_READDIR,
                                        fds.fs_rights_inheriting));
  EXPECT_ERRNO(__wasi_fd_readdir(dir, buf, sizeof buf, 0, &used), __WASI_ERRNO_NOTCAPABLE);
  EXPECT_OK(__wasi_fd_close(file));
  EXPECT_OK(__wasi_fd_close(dir));

  // libc on top of it.
  DIR* d = opendir("/sandbox/list");
  EXPECT(d != NULL);
  int n = 0, found_sub = 0;
  struct dirent* ent;
  while (d && (ent = readdir(d))) {
    ++n;
    if (strcmp(ent->d_name, "sub") == 0) found_sub = ent->d_type == DT_DIR;
  }
  if (d) closedir(d);
  EXPECT(n == 5 && found_sub);
  EXPECT(opendir("/sandbox/list/a") == NULL);
  return finish("readdir");
}
