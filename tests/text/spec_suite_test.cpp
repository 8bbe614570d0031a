// Reads every script of the official test suite (TERN_SPEC_TESTSUITE/wasm-2.0) with the text
// reader alone: each must parse, each module the spec expects to be well formed must encode, and
// each `(module quote …)` the spec calls malformed must be rejected. The spec-tests runner reads
// the same scripts to run them, per tier and with known-failure lists; this pins the reader.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "engine/decoder/decoder.h"
#include "engine/text/wast.h"
#include "engine/validator/validator.h"

namespace fs = std::filesystem;
using tern::text::Command;
using tern::text::ScriptModule;

namespace {

std::vector<fs::path> suite_files(const char* suite = "wasm-2.0") {
  std::vector<fs::path> files;
  fs::path root = fs::path(TERN_SPEC_TESTSUITE) / suite;
  if (!fs::exists(root)) return files;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    if (e.path().extension() == ".wast") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

bool expects_well_formed(Command::Kind k) {
  return k != Command::Kind::AssertMalformed;
}

}  // namespace

// Whether the 2.0 binary format (its u32 bounds, offsets and memory indices) rejects `binary`.
static bool rejected_by_wasm20(const std::vector<uint8_t>& binary) {
  auto m = tern::decode_module(binary, {}, tern::WasmFeatures::wasm20());
  return !m.ok() || !tern::validate(*m).ok();
}

TEST_CASE("every spec suite script parses and its modules encode", "[text][suite]") {
  auto files = suite_files();
  if (files.empty()) {
    WARN("spec test suite not found under " TERN_SPEC_TESTSUITE "; skipped");
    return;
  }
  size_t scripts = 0, modules = 0, encoded = 0, quoted = 0, rejected = 0;
  std::vector<std::string> failures;
  for (const fs::path& file : files) {
    std::string source = read_file(file);
    auto script = tern::text::parse_wast(source);
    if (!script.ok()) {
      failures.push_back(file.filename().string() + ": " + script.error().to_string());
      continue;
    }
    ++scripts;
    for (const Command& cmd : script->commands) {
      if (!cmd.has_module) continue;
      const ScriptModule& m = cmd.module;
      std::string where = file.filename().string() + ":" + std::to_string(m.line);
      if (m.form == ScriptModule::Form::Quote) {
        auto binary = tern::text::wat_to_binary(m.quote);
        if (cmd.kind == Command::Kind::AssertMalformed) {
          ++quoted;
          // Text bounds and offsets are u64s in 3.0; the 2.0 binary format's u32s then reject
          // what 2.0's text grammar did.
          if (!binary.ok() || rejected_by_wasm20(*binary)) {
            ++rejected;
          } else {
            failures.push_back(where + ": malformed quote module accepted (" + cmd.message + ")");
          }
        } else {
          ++modules;
          if (binary.ok()) {
            ++encoded;
          } else {
            failures.push_back(where + ": " + binary.error().to_string());
          }
        }
      } else if (m.form == ScriptModule::Form::Text && expects_well_formed(cmd.kind)) {
        ++modules;
        if (!m.encode_error) {
          ++encoded;
        } else {
          failures.push_back(where + ": " + m.encode_error->to_string());
        }
      }
    }
  }
  for (const std::string& f : failures) UNSCOPED_INFO(f);
  WARN("spec suite: " << scripts << "/" << files.size() << " scripts parsed, " << encoded << "/"
                      << modules << " text modules encoded, " << rejected << "/" << quoted
                      << " malformed quote modules rejected");
  CHECK(failures.empty());
}

// The 3.0 suite's modules use proposals the encoder does not know yet, but every script must
// parse: its commands, result patterns and annotations are all in the runner's syntax.
TEST_CASE("every 3.0 and legacy exception script parses", "[text][suite]") {
  auto files = suite_files("wasm-3.0");
  auto legacy = suite_files("legacy-exceptions");
  files.insert(files.end(), legacy.begin(), legacy.end());
  if (files.empty()) {
    WARN("spec test suite not found under " TERN_SPEC_TESTSUITE "; skipped");
    return;
  }
  size_t commands = 0;
  for (const fs::path& file : files) {
    auto script = tern::text::parse_wast(read_file(file));
    INFO(file.string());
    REQUIRE(script.ok());
    commands += script->commands.size();
  }
  // MANIFEST.tsv's totals: 65,294 commands in wasm-3.0, 96 in legacy-exceptions.
  CHECK(files.size() == 262);
  CHECK(commands == 65294 + 96);
}
