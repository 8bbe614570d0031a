// `tern serve`: hands the command line to `tern-serve`, installed in the same directory as
// `tern`. The server links cpp-httplib, which Debian ships only as a shared library; `tern` is
// linked statically for its start-up time (TERN_STATIC_CLI), so the server is its own program.
#include <fmt/core.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include "tools/commands.h"

namespace tern::cli {

int serve_command(int argc, char** argv, int first) {
  std::string self(4096, '\0');
  ssize_t n = readlink("/proc/self/exe", self.data(), self.size() - 1);
  std::string dir = n > 0 ? self.substr(0, size_t(n)) : std::string(argv[0]);
  size_t slash = dir.rfind('/');
  std::string program = (slash == std::string::npos ? "." : dir.substr(0, slash)) + "/tern-serve";
  std::vector<char*> args{program.data()};
  for (int i = first; i < argc; ++i) args.push_back(argv[i]);
  args.push_back(nullptr);
  execv(program.c_str(), args.data());
  fmt::print(stderr,
             "Error: cannot run {}: {} (this build of tern has no server: it needs "
             "cpp-httplib, libcpp-httplib-dev on Debian)\n",
             program, std::strerror(errno));
  return kExitFailure;
}

}  // namespace tern::cli
