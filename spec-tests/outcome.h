// What running one script command came to, and the names the report uses for command kinds.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/text/wast.h"

namespace tern::spec {

enum class Status : uint8_t { Passed, Failed, Skipped };

// Command kinds as report columns: the script's kinds, plus `script` for a file that could not
// be read or parsed at all (one failed pseudo-command at line 0).
constexpr uint8_t kScriptKind = uint8_t(text::Command::Kind::ModuleInstance) + 1;
constexpr uint8_t kNumKinds = kScriptKind + 1;
const char* kind_name(uint8_t kind);

struct Outcome {
  uint8_t kind = kScriptKind;
  uint32_t line = 0;
  Status status = Status::Skipped;
  std::string detail;  // the command and, for a failure or skip, why
};

struct FileResult {
  std::string name;  // as the report and the known-failures list name it, e.g. "address.wast"
  std::vector<Outcome> outcomes;
};

}  // namespace tern::spec
