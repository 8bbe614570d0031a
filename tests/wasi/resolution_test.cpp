// Path resolution beneath a directory, both ways: openat2 and the component walk used where
// the kernel lacks it. Same cases, same answers.
#include <fcntl.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "scratch_dir.h"
#include "wasi/os_posix.h"

using namespace tern::wasi;
using namespace tern::wasi::testing;
namespace fs = std::filesystem;

namespace {

struct Case {
  const char* path;
  bool follow;
  int want;  // 0 or the host errno
};

// root/outside.txt, root/box (the directory resolved beneath) with:
//   file, dir/, dir/nested, up → ../file (inside), out → ../outside.txt, abs → /etc,
//   outdir → .., loop1 → loop2 → loop1, chain → up
const Case kCases[] = {
    {"file", true, 0},
    {"dir/nested", true, 0},
    {"dir/../file", true, 0},
    {"./dir/./nested", true, 0},
    {"dir/", true, 0},
    {"dir/up", true, 0},     // ../file from dir: still inside
    {"dir/chain", true, 0},  // chain → up → ../file
    {"dir/up", false, 0},    // O_PATH|O_NOFOLLOW opens the link itself
    {"file/", true, ENOTDIR},
    {"missing", true, ENOENT},
    {"dir/missing/x", true, ENOENT},
    {"..", true, EXDEV},
    {"dir/../..", true, EXDEV},
    {"../outside.txt", true, EXDEV},
    {"dir/../../box/file", true, EXDEV},
    {"/etc/passwd", true, EXDEV},
    {"out", true, EXDEV},
    {"abs", true, EXDEV},
    {"abs/passwd", false, EXDEV},
    {"outdir/box/file", false, EXDEV},
    {"loop1", true, ELOOP},
};

void make_layout(const ScratchDir& root) {
  write_host_file(root / "outside.txt", "x");
  const std::string box = root / "box";
  fs::create_directories(box + "/dir");
  write_host_file(box + "/file", "f");
  write_host_file(box + "/dir/nested", "n");
  fs::create_symlink("../file", box + "/dir/up");
  fs::create_symlink("up", box + "/dir/chain");
  fs::create_symlink("../outside.txt", box + "/out");
  fs::create_symlink("/etc", box + "/abs");
  fs::create_symlink("..", box + "/outdir");
  fs::create_symlink("loop2", box + "/loop1");
  fs::create_symlink("loop1", box + "/loop2");
}

}  // namespace

TEST_CASE("open_beneath and its fallback walk agree", "[wasi][resolution]") {
  ScratchDir root;
  make_layout(root);
  os::UniqueFd box(open((root / "box").c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  REQUIRE(box);
  for (const Case& c : kCases) {
    INFO(c.path << (c.follow ? " (follow)" : " (nofollow)"));
    os::UniqueFd a, b;
    CHECK(os::open_beneath(box.get(), c.path, O_PATH, 0, c.follow, a) == c.want);
    CHECK(os::open_beneath_walk(box.get(), c.path, O_PATH, 0, c.follow, b) == c.want);
    CHECK(bool(a) == (c.want == 0));
    CHECK(bool(b) == (c.want == 0));
  }
}

TEST_CASE("the fallback walk creates files only inside", "[wasi][resolution]") {
  ScratchDir root;
  make_layout(root);
  os::UniqueFd box(open((root / "box").c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  os::UniqueFd fd;
  CHECK(os::open_beneath_walk(box.get(), "dir/new", O_CREAT | O_WRONLY, 0644, false, fd) == 0);
  CHECK(fs::exists(root / "box/dir/new"));
  CHECK(os::open_beneath_walk(box.get(), "outdir/created", O_CREAT | O_WRONLY, 0644, false, fd) ==
        EXDEV);
  CHECK(os::open_beneath_walk(box.get(), "out", O_CREAT | O_WRONLY, 0644, true, fd) == EXDEV);
  CHECK(os::open_beneath_walk(box.get(), "dir/up", O_WRONLY, 0, false, fd) == ELOOP);
  CHECK_FALSE(fs::exists(root / "created"));
  CHECK(read_host_file(root / "outside.txt") == "x");
}

TEST_CASE("resolve_parent splits off the last component", "[wasi][resolution]") {
  ScratchDir root;
  make_layout(root);
  os::UniqueFd box(open((root / "box").c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  os::Parent p;
  CHECK(os::resolve_parent(box.get(), "dir/nested", p) == 0);
  CHECK(p.name == "nested");
  CHECK_FALSE(p.trailing_slash);
  CHECK(os::resolve_parent(box.get(), "dir//", p) == 0);
  CHECK(p.name == "dir");
  CHECK(p.trailing_slash);
  CHECK(os::resolve_parent(box.get(), "out", p) == 0);  // the link itself, not its target
  CHECK(p.name == "out");
  CHECK(os::resolve_parent(box.get(), "", p) == ENOENT);
  CHECK(os::resolve_parent(box.get(), "/", p) == EXDEV);
  CHECK(os::resolve_parent(box.get(), "/etc", p) == EXDEV);
  CHECK(os::resolve_parent(box.get(), "..", p) == EXDEV);
  CHECK(os::resolve_parent(box.get(), "dir/..", p) == 0);
  CHECK(os::resolve_parent(box.get(), "outdir/x", p) == EXDEV);
  CHECK(os::resolve_parent(box.get(), "../box/file", p) == EXDEV);
}
