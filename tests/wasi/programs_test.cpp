// Each C test program, run through the embedding API in a fresh scratch preopen: it checks
// results and error paths itself and prints a summary; here the exit code and output are checked.
#include <catch2/catch.hpp>

#include "harness.h"

using namespace tern::wasi::testing;

namespace {

void run_self_checking(const std::string& path, const std::string& name) {
  ScratchDir dir;
  RunOptions options;
  options.sandbox = dir.path();
  RunResult r = run_program(path, options);
  INFO(r.error);
  INFO(r.out);
  REQUIRE(r.ran);
  CHECK(r.error.empty());
  CHECK(r.exit_code == 0);
  CHECK(r.out.find(name + ": ") != std::string::npos);
  CHECK(r.out.find(" 0 failures") != std::string::npos);
  CHECK(r.out.find("FAIL") == std::string::npos);
}

}  // namespace

TEST_CASE("wasi program: files, seeking, rights, renumber, preopens", "[wasi]") {
  TERN_REQUIRE_PROGRAM(path, "fs_basics");
  run_self_checking(path, "fs_basics");
}

TEST_CASE("wasi program: readdir", "[wasi]") {
  TERN_REQUIRE_PROGRAM(path, "readdir");
  run_self_checking(path, "readdir");
}

TEST_CASE("wasi program: stat and times", "[wasi]") {
  TERN_REQUIRE_PROGRAM(path, "stat_times");
  run_self_checking(path, "stat_times");
}

TEST_CASE("wasi program: directories, renames, links, symlinks", "[wasi]") {
  TERN_REQUIRE_PROGRAM(path, "paths");
  run_self_checking(path, "paths");
}

TEST_CASE("wasi program: clocks, random, poll_oneoff, sched_yield, proc_raise", "[wasi]") {
  TERN_REQUIRE_PROGRAM(path, "clocks_random_poll");
  run_self_checking(path, "clocks_random_poll");
}

TEST_CASE("wasi program: out-of-range pointers and lengths are fault", "[wasi]") {
  TERN_REQUIRE_PROGRAM(path, "faults");
  run_self_checking(path, "faults");
}

TEST_CASE("wasi program: wasi_unstable layouts and whence", "[wasi]") {
  TERN_REQUIRE_PROGRAM(path, "unstable");
  run_self_checking(path, "unstable");
}

TEST_CASE("wasi_unstable has no sock_accept", "[wasi]") {
  TERN_REQUIRE_PROGRAM(path, "unstable_sock_accept");
  ScratchDir dir;
  RunOptions options;
  options.sandbox = dir.path();
  RunResult r = run_program(path, options);
  CHECK_FALSE(r.ran);
  CHECK(r.error.find("sock_accept") != std::string::npos);
}

TEST_CASE("wasi program: args, environment and exit code", "[wasi]") {
  TERN_REQUIRE_PROGRAM(path, "args_env_exit");
  RunOptions options;
  options.args = {"prog", "hello", "w\xc3\xb6rld", ""};
  options.env = {{"GREETING", "hi"}, {"EMPTY", ""}};
  RunResult r = run_program(path, options);
  INFO(r.error);
  INFO(r.out);
  REQUIRE(r.ran);
  CHECK(r.exit_code == 42);
  CHECK(r.out.find("args_env_exit: ") != std::string::npos);
  CHECK(r.out.find(" 0 failures") != std::string::npos);
}

TEST_CASE("wasi program: stdin, stdout and stderr", "[wasi]") {
  TERN_REQUIRE_PROGRAM(path, "stdio");
  RunOptions options;
  options.stdin_text = "hello stdin\n";
  RunResult r = run_program(path, options);
  INFO(r.error);
  INFO(r.out);
  REQUIRE(r.ran);
  CHECK(r.exit_code == 0);
  CHECK(r.out.rfind("echo: HELLO STDIN\ngathered write\nstdio: ", 0) == 0);
  CHECK(r.out.find(" 0 failures") != std::string::npos);
  CHECK(r.err == "to stderr\n");
}
