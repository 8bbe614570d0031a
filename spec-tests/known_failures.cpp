#include "spec-tests/known_failures.h"

#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>

namespace tern::spec {

namespace {

std::string trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string_view::npos) return "";
  size_t e = s.find_last_not_of(" \t\r");
  return std::string(s.substr(b, e - b + 1));
}

}  // namespace

Result<KnownFailures> KnownFailures::load(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    return Error{ErrorKind::Io, "cannot read " + path + ": " + std::strerror(errno), {}, {}};
  }
  KnownFailures list;
  std::string text;
  for (uint32_t line_no = 1; std::getline(in, text); ++line_no) {
    std::string line = trim(text);
    if (line.empty() || line[0] == '#') continue;
    size_t end_of_location = line.find_first_of(" \t");
    std::string location = line.substr(0, end_of_location);
    std::string reason =
        end_of_location == std::string::npos ? "" : trim(line.substr(end_of_location));
    if (location.ends_with(".wast")) {
      list.whole_scripts_[location] = reason;
      continue;
    }
    size_t colon = location.rfind(':');
    uint32_t command_line = 0;
    const char* digits = colon == std::string::npos ? nullptr : location.c_str() + colon + 1;
    const char* digits_end = location.c_str() + location.size();
    if (!digits || digits == digits_end ||
        std::from_chars(digits, digits_end, command_line).ptr != digits_end) {
      return Error{ErrorKind::Malformed,
                   path + ":" + std::to_string(line_no) +
                       ": expected `file.wast:LINE  reason` or `file.wast  reason`",
                   {},
                   {}};
    }
    list.by_file_[location.substr(0, colon)][command_line] = reason;
  }
  return list;
}

const std::string* KnownFailures::find(const std::string& file, uint32_t line) const {
  if (auto entries_of_file = entries(file)) {
    auto it = entries_of_file->find(line);
    if (it != entries_of_file->end()) return &it->second;
  }
  return whole_script(file);
}

const std::string* KnownFailures::whole_script(const std::string& file) const {
  auto it = whole_scripts_.find(file);
  return it == whole_scripts_.end() ? nullptr : &it->second;
}

const std::map<uint32_t, std::string>* KnownFailures::entries(const std::string& file) const {
  auto it = by_file_.find(file);
  return it == by_file_.end() ? nullptr : &it->second;
}

}  // namespace tern::spec
