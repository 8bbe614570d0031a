// Scratch directories and host files for setting up and inspecting what WASI sees.
#pragma once

#include <string>

namespace tern::wasi::testing {

// A fresh directory under /tmp, removed with everything in it at the end of the scope.
class ScratchDir {
 public:
  ScratchDir();
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

void write_host_file(const std::string& path, const std::string& text);
std::string read_host_file(const std::string& path);

}  // namespace tern::wasi::testing
