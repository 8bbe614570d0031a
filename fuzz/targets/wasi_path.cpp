#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>

#include "fuzz/targets/targets.h"
#include "wasi/os_posix.h"

namespace os = tern::wasi::os;

namespace {

// A scratch preopen, made once per process:
//   <scratch>/outside                  a file the guest must never reach
//   <scratch>/root/                    the preopened directory
//     file, dir/inner, dir/sub/, empty/
//     link_in -> dir, link_file -> dir/inner, link_up -> .., link_up2 -> dir/../..,
//     link_abs -> /tmp, link_loop -> link_loop, dir/link_out -> ../../outside
struct Scratch {
  std::string base;       // the scratch directory, removed at exit
  std::string root_real;  // realpath of root, for the containment check
  int root_fd = -1;
};

void must(bool ok, const char* what) {
  if (!ok) tern_fuzz_fail(what);
}

Scratch make_scratch() {
  char tmpl[] = "/tmp/tern-fuzz-wasi-XXXXXX";
  must(mkdtemp(tmpl) != nullptr, "mkdtemp");
  std::string base = tmpl;
  std::string root = base + "/root";
  auto touch = [](const std::string& p) {
    int fd = open(p.c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
    must(fd >= 0, "create scratch file");
    close(fd);
  };
  touch(base + "/outside");
  must(mkdir(root.c_str(), 0755) == 0, "mkdir root");
  must(mkdir((root + "/dir").c_str(), 0755) == 0, "mkdir dir");
  must(mkdir((root + "/dir/sub").c_str(), 0755) == 0, "mkdir sub");
  must(mkdir((root + "/empty").c_str(), 0755) == 0, "mkdir empty");
  touch(root + "/file");
  touch(root + "/dir/inner");
  const std::pair<const char*, const char*> links[] = {{"dir", "link_in"},
                                                       {"dir/inner", "link_file"},
                                                       {"..", "link_up"},
                                                       {"dir/../..", "link_up2"},
                                                       {"/tmp", "link_abs"},
                                                       {"link_loop", "link_loop"},
                                                       {"../../outside", "dir/link_out"}};
  for (const auto& [target, name] : links) {
    must(symlink(target, (root + "/" + name).c_str()) == 0, "symlink");
  }
  char real[PATH_MAX];
  must(realpath(root.c_str(), real) != nullptr, "realpath root");
  Scratch s;
  s.base = base;
  s.root_real = real;
  s.root_fd = open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  must(s.root_fd >= 0, "open root");
  return s;
}

const Scratch& scratch() {
  static const Scratch s = make_scratch();
  // Registered after `s` is built, so it runs before `s` is destroyed; remove_all removes the
  // links themselves, never what they point to.
  static const bool removed_at_exit = [] {
    return std::atexit([] {
             std::error_code ignored;
             std::filesystem::remove_all(s.base, ignored);
           }) == 0;
  }();
  (void)removed_at_exit;
  return s;
}

// Whether an opened descriptor names something at or below the root.
bool beneath_root(int fd) {
  char real[PATH_MAX];
  ssize_t n = readlink(os::fd_path(fd).c_str(), real, sizeof real - 1);
  if (n < 0) return false;
  std::string_view p(real, size_t(n));
  const std::string& root = scratch().root_real;
  return p == root ||
         (p.size() > root.size() && p.substr(0, root.size()) == root && p[root.size()] == '/');
}

// Read-only flag sets only: the target must not create or truncate anything.
constexpr int kFlagChoices[] = {O_RDONLY, O_RDONLY | O_DIRECTORY, O_PATH, O_PATH | O_DIRECTORY};

}  // namespace

int tern_fuzz_wasi_path(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const uint8_t control = data[0];
  std::string_view path(reinterpret_cast<const char*>(data + 1), size - 1);
  // The WASI layer takes guest strings with an explicit length; an embedded NUL cannot name a
  // host path, and is rejected before resolution.
  if (path.find('\0') != std::string_view::npos || path.size() > 4096) return 0;
  const Scratch& s = scratch();
  const int flags = kFlagChoices[control & 3];
  const bool follow_final = control & 4;

  os::UniqueFd fast, walk;
  int fast_r = os::open_beneath(s.root_fd, path, flags, 0, follow_final, fast);
  int walk_r = os::open_beneath_walk(s.root_fd, path, flags, 0, follow_final, walk);
  if (fast_r == 0 && !beneath_root(fast.get())) tern_fuzz_fail("open_beneath escaped the root");
  if (walk_r == 0 && !beneath_root(walk.get())) {
    tern_fuzz_fail("open_beneath_walk escaped the root");
  }
  // Both resolutions implement the same rule, so they must agree on whether the path opens.
  if ((fast_r == 0) != (walk_r == 0)) {
    std::fprintf(stderr, "path '%.*s' flags %d follow %d: open_beneath %d, walk %d\n",
                 int(path.size()), path.data(), flags, follow_final, fast_r, walk_r);
    tern_fuzz_fail("open_beneath and open_beneath_walk disagree");
  }

  os::Parent parent;
  if (os::resolve_parent(s.root_fd, path, parent) == 0) {
    if (!beneath_root(parent.dir.get())) tern_fuzz_fail("resolve_parent escaped the root");
    if (parent.name.find('/') != std::string::npos) {
      tern_fuzz_fail("resolve_parent returned a name with a slash");
    }
  }
  return 0;
}
