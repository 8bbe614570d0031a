// Conformance of decode + validate against the official suite: every .wast is converted by
// wabt's wast2json (when installed) and each module command is checked for the outcome the
// script asserts. Execution results are not checked here (the spec-tests runner does that).
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "engine/decoder/decoder.h"
#include "engine/validator/validator.h"

namespace fs = std::filesystem;

namespace {

// The value of "key": "..." (or "key": 123) on one line of wast2json's output, which writes one
// command per line.
std::string field(const std::string& line, const std::string& key) {
  std::string pattern = "\"" + key + "\": ";
  size_t at = line.find(pattern);
  if (at == std::string::npos) return {};
  at += pattern.size();
  if (line[at] == '"') {
    size_t end = at + 1;
    while (end < line.size() && line[end] != '"') end += line[end] == '\\' ? 2 : 1;
    return line.substr(at + 1, end - at - 1);
  }
  size_t end = line.find_first_of(",}", at);
  return line.substr(at, end - at);
}

std::vector<uint8_t> read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Decode + validate; the error, if any.
std::optional<tern::Error> check(const std::vector<uint8_t>& bytes) {
  auto module = tern::decode_module(bytes);
  if (!module.ok()) return module.error();
  auto valid = tern::validate(*module);
  if (!valid.ok()) return valid.error();
  return std::nullopt;
}

struct Counts {
  int passed = 0;
  int failed = 0;
  int skipped = 0;
  int worded_differently = 0;  // right kind, but not the script's message
};

// Commands whose expected outcome this engine deliberately does not meet, as "file:line", each
// with its reason.
const std::set<std::string> kKnownExceptions = {
    // wast2json omits the data count section of a module without data segments, so its binary
    // for these text modules is malformed ("data count section required") where the reference
    // encoder's binary is invalid ("unknown data segment"/"unknown memory 0"). Both reject.
    "memory_init.wast:190",
    "memory_init.wast:227",
};

// Runs wast2json on `wast`; true if it converted the script.
bool convert(const fs::path& wast, const fs::path& json) {
  std::string cmd = "wast2json '" + wast.string() + "' -o '" + json.string() + "' > '" +
                    json.string() + ".log' 2>&1";
  return std::system(cmd.c_str()) == 0;
}

// Checks each module command listed in wast2json's output `json` (one command per line).
void run_commands(const fs::path& json, const std::string& script, Counts& counts,
                  std::vector<std::string>& failures) {
  std::ifstream in(json);
  std::string line;
  while (std::getline(in, line)) {
    std::string type = field(line, "type");
    std::string file = field(line, "filename");
    if (file.empty()) continue;
    bool expect_ok =
        type == "module" || type == "assert_unlinkable" || type == "assert_uninstantiable";
    std::optional<tern::ErrorKind> expect_kind;
    if (type == "assert_invalid") expect_kind = tern::ErrorKind::Invalid;
    if (type == "assert_malformed" && field(line, "module_type") == "binary") {
      expect_kind = tern::ErrorKind::Malformed;
    }
    if (!expect_ok && !expect_kind) continue;
    std::string where = script + ":" + field(line, "line");
    std::optional<tern::Error> err = check(read_file(json.parent_path() / file));
    bool pass = expect_ok ? !err : (err && err->kind == *expect_kind);
    if (pass) {
      ++counts.passed;
      // The reference decoder reads code while decoding and a section's bytes past its end, so
      // its first complaint about a module can differ from ours; only the kind must agree.
      std::string want = field(line, "text");
      if (err && err->message.rfind(want, 0) != 0) {
        ++counts.worded_differently;
        if (std::getenv("TERN_SPEC_VERBOSE")) {
          std::cout << "wording " << where << ": \"" << want << "\" vs \"" << err->message
                    << "\"\n";
        }
      }
    } else if (kKnownExceptions.count(where)) {
      ++counts.skipped;
    } else {
      ++counts.failed;
      failures.push_back(where + " " + type + " \"" + field(line, "text") + "\": got " +
                         (err ? err->to_string() : std::string("ok")));
    }
  }
}

struct Command {
  std::string text;
  int line = 0;  // where it starts in the script
};

// Splits a script into its top-level commands, skipping comments and strings correctly.
std::vector<Command> split_commands(const std::string& s) {
  std::vector<Command> out;
  int depth = 0;
  int line = 1;
  size_t start = 0;
  int start_line = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '\n') {
      ++line;
    } else if (c == ';' && i + 1 < s.size() && s[i + 1] == ';') {
      while (i + 1 < s.size() && s[i + 1] != '\n') ++i;
    } else if (c == '(' && i + 1 < s.size() && s[i + 1] == ';') {
      int nest = 0;
      for (; i + 1 < s.size(); ++i) {
        if (s[i] == '\n') ++line;
        if (s[i] == '(' && s[i + 1] == ';')
          ++nest, ++i;
        else if (s[i] == ';' && s[i + 1] == ')' && --nest == 0)
          break;
      }
      ++i;
    } else if (c == '"') {
      for (++i; i < s.size() && s[i] != '"'; ++i) {
        if (s[i] == '\\')
          ++i;
        else if (s[i] == '\n')
          ++line;
      }
    } else if (c == '(') {
      if (depth++ == 0) start = i, start_line = line;
    } else if (c == ')' && depth > 0 && --depth == 0) {
      out.push_back({s.substr(start, i + 1 - start), start_line});
    }
  }
  return out;
}

// For a script wast2json refuses as a whole: converts its module commands one at a time (padded
// with newlines so reported lines match the script) and skips only those it cannot convert.
void run_piecewise(const fs::path& wast, const fs::path& out_dir, Counts& counts,
                   std::vector<std::string>& failures) {
  std::ifstream in(wast);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  int index = 0;
  for (const Command& cmd : split_commands(text)) {
    static const char* kModuleCommands[] = {"(module", "(assert_invalid", "(assert_malformed",
                                            "(assert_unlinkable", "(assert_trap (module"};
    bool wanted = false;
    for (const char* prefix : kModuleCommands) wanted |= cmd.text.rfind(prefix, 0) == 0;
    if (!wanted) continue;
    std::string stem = wast.stem().string() + "-" + std::to_string(index++);
    fs::path piece = out_dir / (stem + ".wast");
    std::ofstream(piece) << std::string(size_t(cmd.line - 1), '\n') << cmd.text << "\n";
    fs::path json = out_dir / (stem + ".json");
    if (!convert(piece, json)) {
      ++counts.skipped;
      std::cout << "skipped " << wast.filename().string() << ":" << cmd.line
                << ": wast2json cannot convert this command\n";
      continue;
    }
    run_commands(json, wast.filename().string(), counts, failures);
  }
}

void run_script(const fs::path& wast, const fs::path& out_dir, Counts& counts,
                std::vector<std::string>& failures) {
  fs::path json = out_dir / (wast.stem().string() + ".json");
  if (convert(wast, json)) {
    run_commands(json, wast.filename().string(), counts, failures);
  } else {
    run_piecewise(wast, out_dir, counts, failures);
  }
}

}  // namespace

TEST_CASE("spec suite: modules decode and validate as the scripts assert", "[spec]") {
  fs::path suite = fs::path(TERN_SOURCE_DIR) / ".." / "shared" / "spec-testsuite" / "wasm-2.0";
  if (!fs::is_directory(suite)) {
    WARN("spec suite not found at " << suite.string() << "; skipped");
    return;
  }
  if (std::system("wast2json --version > /dev/null 2>&1") != 0) {
    WARN("wast2json not on PATH; skipped");
    return;
  }
  fs::path out_dir = fs::temp_directory_path() / ("tern-spec-" + std::to_string(::getpid()));
  fs::create_directories(out_dir);
  std::vector<fs::path> scripts;
  for (const fs::path& dir : {suite, suite / "simd"}) {
    for (const auto& entry : fs::directory_iterator(dir)) {
      if (entry.path().extension() == ".wast") scripts.push_back(entry.path());
    }
  }
  std::sort(scripts.begin(), scripts.end());
  Counts counts;
  std::vector<std::string> failures;
  for (const fs::path& wast : scripts) run_script(wast, out_dir, counts, failures);
  fs::remove_all(out_dir);
  for (const std::string& f : failures) std::cout << "FAIL " << f << "\n";
  std::cout << "spec suite (decode+validate): " << counts.passed << " passed, " << counts.failed
            << " failed, " << counts.skipped << " skipped (" << counts.worded_differently
            << " with other wording; TERN_SPEC_VERBOSE=1 lists them)\n";
  CHECK(counts.failed == 0);
}
