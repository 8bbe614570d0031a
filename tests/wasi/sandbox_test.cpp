// Escapes from the preopen, tried by a guest program (sandbox.c) against a host layout with
// files and links outside; afterwards nothing outside may have changed.
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <set>

#include "harness.h"

using namespace tern::wasi::testing;
namespace fs = std::filesystem;

namespace {

// Every path under `root` with its size and modification time.
std::set<std::string> snapshot(const std::string& root) {
  std::set<std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    struct stat st;
    lstat(e.path().c_str(), &st);
    out.insert(e.path().string() + " " + std::to_string(st.st_size) + " " +
               std::to_string(st.st_mtim.tv_sec) + "." + std::to_string(st.st_mtim.tv_nsec) + " " +
               std::to_string(st.st_nlink));
  }
  return out;
}

}  // namespace

TEST_CASE("wasi sandbox: escapes are refused and nothing outside is touched", "[wasi]") {
  TERN_REQUIRE_PROGRAM(path, "sandbox");
  ScratchDir root;
  write_host_file(root / "outside.txt", "secret");
  fs::create_directory(root / "outside_dir");
  const std::string sandbox = root / "sandbox";
  fs::create_directory(sandbox);
  fs::create_directory(sandbox + "/inner");
  fs::create_symlink("../outside.txt", sandbox + "/escape_rel");
  fs::create_symlink(root / "outside.txt", sandbox + "/escape_abs");
  fs::create_symlink("../outside_dir", sandbox + "/escape_dir");

  std::set<std::string> before;
  for (const auto& p : snapshot(root.path()))
    if (p.rfind(sandbox, 0) != 0) before.insert(p);

  RunOptions options;
  options.sandbox = sandbox;
  RunResult r = run_program(path, options);
  INFO(r.error);
  INFO(r.out);
  REQUIRE(r.ran);
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("sandbox: ") != std::string::npos);
  CHECK(r.out.find(" 0 failures") != std::string::npos);

  std::set<std::string> after;
  for (const auto& p : snapshot(root.path()))
    if (p.rfind(sandbox, 0) != 0) after.insert(p);
  CHECK(before == after);
  CHECK(read_host_file(root / "outside.txt") == "secret");
  CHECK(fs::is_empty(root / "outside_dir"));
  CHECK(fs::is_directory(sandbox));
}
