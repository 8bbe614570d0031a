#include "jit/common/perf_map.h"

#include <cxxabi.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <unordered_map>

namespace tern::jit {

namespace {

// The open map of this process.
struct MapFile {
  std::mutex mutex;
  pid_t pid = 0;
  int fd = -1;
};

MapFile& map_file() {
  static MapFile file;
  return file;
}

// A name on one line: perf reads the rest of the line as the name.
void append_name(std::string& out, std::string_view name) {
  for (char c : name) out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) ? '?' : c;
}

std::string demangled(const std::string& name) {
  if (!name.starts_with("_Z")) return name;
  int status = 0;
  char* text = abi::__cxa_demangle(name.c_str(), nullptr, nullptr, &status);
  if (status != 0 || !text) return name;
  std::string out = text;
  std::free(text);
  return out;
}

// The first export naming each function in [first, end), the index space's.
std::unordered_map<uint32_t, std::string_view> exported_names(const ModuleInfo& info,
                                                              uint32_t first, uint32_t end) {
  std::unordered_map<uint32_t, std::string_view> names;
  for (const Export& e : info.exports) {
    if (e.kind == ExternKind::Func && e.index >= first && e.index < end) {
      names.try_emplace(e.index, e.name);
    }
  }
  return names;
}

std::string name_of(const ModuleInfo& info, uint32_t func_index,
                    const std::unordered_map<uint32_t, std::string_view>& exports) {
  std::string name;
  if (auto it = info.func_names.find(func_index); it != info.func_names.end()) {
    name = demangled(it->second);
  } else if (auto ex = exports.find(func_index); ex != exports.end()) {
    name = ex->second;
  } else {
    name = "wasm-function[" + std::to_string(func_index) + "]";
  }
  return info.module_name.empty() ? name : info.module_name + "::" + name;
}

}  // namespace

void PerfMapBatch::add(const void* start, size_t size, std::string_view name) {
  if (size == 0) return;
  char range[48];
  std::snprintf(range, sizeof range, "%lx %zx ",
                static_cast<unsigned long>(reinterpret_cast<uintptr_t>(start)), size);
  lines_ += range;
  append_name(lines_, name);
  lines_ += '\n';
}

void PerfMapBatch::add_functions(const ModuleInfo& info, const CodeBlock& block) {
  size_t count = block.func_offsets.size();
  uint32_t first = info.num_imported_funcs + block.first_func;
  auto exports = exported_names(info, first, first + uint32_t(count));
  for (size_t i = 0; i < count; ++i) {
    size_t begin = block.func_offsets[i];
    size_t end = i + 1 < count ? block.func_offsets[i + 1] : block.size;
    add(block.code + begin, end - begin, name_of(info, first + uint32_t(i), exports));
  }
}

void PerfMapBatch::write() {
  if (lines_.empty()) return;
  MapFile& file = map_file();
  std::lock_guard lock(file.mutex);
  pid_t pid = getpid();
  // Reopened in a forked child, whose map is its own, and when the map was deleted meanwhile
  // (perf would no longer find the lines written to it).
  struct stat st;
  if (file.fd >= 0 && (file.pid != pid || fstat(file.fd, &st) != 0 || st.st_nlink == 0)) {
    close(file.fd);
    file.fd = -1;
  }
  if (file.fd < 0) {
    std::string path = "/tmp/perf-" + std::to_string(pid) + ".map";
    file.fd = open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    file.pid = pid;
  }
  if (file.fd < 0) return;
  const char* p = lines_.data();
  size_t left = lines_.size();
  while (left > 0) {
    ssize_t n = ::write(file.fd, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // a full disk: the profile lacks names, the program runs on
    p += n;
    left -= size_t(n);
  }
  lines_.clear();
}

}  // namespace tern::jit
