// The checked-in list of failures a tier is known to have: lines `file.wast:LINE  reason` for
// one command, or `file.wast  reason` for a whole script (one that cannot run at all yet, e.g.
// an unimplemented proposal: any of its failures is known); `#` comments and blank lines
// ignored. Files are named as the runner names them (`gc/array.wast` under --recursive).
#pragma once

#include <map>
#include <string>
#include <utility>

#include "tern/error.h"

namespace tern::spec {

class KnownFailures {
 public:
  static Result<KnownFailures> load(const std::string& path);

  // The reason a failure is listed with (its line's, else its script's), or null when it is
  // not listed.
  const std::string* find(const std::string& file, uint32_t line) const;
  // Every line entry for `file`, by line.
  const std::map<uint32_t, std::string>* entries(const std::string& file) const;
  // The reason `file` is listed with as a whole, or null.
  const std::string* whole_script(const std::string& file) const;

 private:
  std::map<std::string, std::map<uint32_t, std::string>> by_file_;
  std::map<std::string, std::string> whole_scripts_;
};

}  // namespace tern::spec
