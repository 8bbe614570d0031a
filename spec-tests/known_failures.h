// The checked-in list of failures a tier is known to have: lines `file.wast:LINE  reason`,
// `#` comments and blank lines ignored.
#pragma once

#include <map>
#include <string>
#include <utility>

#include "tern/error.h"

namespace tern::spec {

class KnownFailures {
 public:
  static Result<KnownFailures> load(const std::string& path);

  // The reason a failure is listed with, or null when it is not listed.
  const std::string* find(const std::string& file, uint32_t line) const;
  // Every entry for `file`, by line.
  const std::map<uint32_t, std::string>* entries(const std::string& file) const;

 private:
  std::map<std::string, std::map<uint32_t, std::string>> by_file_;
};

}  // namespace tern::spec
