// When `tern run` and `tern serve` compile a module lazily under --engine auto.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

namespace tern::cli {

// A module file at least this large is compiled lazily under --engine auto: compiling all of
// it first would delay its first output by the whole compile (about 0.6 s for Yosys's 30 MB),
// while compiled function by function a run pays only for what it calls.
constexpr uintmax_t kLazyModuleBytes = uintmax_t(4) << 20;

inline bool is_large_module_file(const std::string& path) {
  std::error_code size_error;
  const uintmax_t file_bytes = std::filesystem::file_size(path, size_error);
  return !size_error && file_bytes >= kLazyModuleBytes;
}

}  // namespace tern::cli
