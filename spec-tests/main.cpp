// tern_spec_runner: runs the official .wast scripts and reports per file and in total.
#include <fmt/core.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "spec-tests/file_runner.h"
#include "spec-tests/known_failures.h"

namespace fs = std::filesystem;
using namespace tern::spec;

namespace {

constexpr const char* kUsage = R"(Usage: tern_spec_runner [OPTIONS] DIR|FILE.wast...

Runs WebAssembly spec-test scripts (.wast) and reports every command that does not do what the
script asserts. A DIR means the .wast files directly inside it, in name order.

Options:
  --tier interp|jit|jit-lazy
                          execution tier (default interp); jit-lazy compiles each function
                          on its first call
  --known-failures FILE   failures to expect: lines `file.wast:LINE  reason`; a listed failure
                          does not fail the run, a listed command that passes does (stale entry)
  --filter SUBSTR         only the files whose name contains SUBSTR
  --verbose               also print known failures and what the scripts print
  --no-isolate            run scripts in this process (for debuggers); a crash ends the run
  --timeout SECONDS       per command, when isolated (default 20)
  -h, --help              this text

Exit status: 0 when every failure is listed as known and no entry is stale, 1 otherwise,
2 for bad usage or an unreadable known-failures file.
)";

struct Options {
  FileOptions file;
  std::optional<std::string> known_failures;
  std::string filter;
  std::vector<std::string> inputs;
};

int usage_error(const std::string& message) {
  fmt::print(stderr, "tern_spec_runner: {}\n(see tern_spec_runner --help)\n", message);
  return 2;
}

// Parses the command line; returns an exit status when the program should stop.
std::optional<int> parse_options(int argc, char** argv, Options& options) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&]() -> std::optional<std::string> {
      if (i + 1 >= argc) return std::nullopt;
      return std::string(argv[++i]);
    };
    if (arg == "-h" || arg == "--help") {
      std::fputs(kUsage, stdout);
      return 0;
    } else if (arg == "--verbose") {
      options.file.run.verbose = true;
    } else if (arg == "--no-isolate") {
      options.file.isolate = false;
    } else if (arg == "--tier" || arg == "--known-failures" || arg == "--filter" ||
               arg == "--timeout") {
      auto v = value();
      if (!v) return usage_error(arg + " needs a value");
      if (arg == "--tier") {
        if (*v != "interp" && *v != "jit" && *v != "jit-lazy") {
          return usage_error("unknown tier '" + *v + "' (interp, jit or jit-lazy)");
        }
        if (*v != "interp" && !tern::Engine::has_tier(tern::Tier::Jit)) {
          return usage_error("the jit tier is not available in this build");
        }
        options.file.run.tier = *v == "interp" ? tern::Tier::Interp : tern::Tier::Jit;
        options.file.run.lazy_compile = *v == "jit-lazy";
      } else if (arg == "--known-failures") {
        options.known_failures = *v;
      } else if (arg == "--filter") {
        options.filter = *v;
      } else {
        char* end = nullptr;
        unsigned long seconds = std::strtoul(v->c_str(), &end, 10);
        if (v->empty() || *end != '\0' || seconds == 0 || seconds > 3600) {
          return usage_error("--timeout needs a number of seconds from 1 to 3600");
        }
        options.file.command_timeout_s = unsigned(seconds);
      }
    } else if (arg.size() > 1 && arg[0] == '-') {
      return usage_error("unknown option " + arg);
    } else {
      options.inputs.push_back(arg);
    }
  }
  if (options.inputs.empty()) return usage_error("no script or directory given");
  return std::nullopt;
}

struct Script {
  std::string path, name;
};

// The scripts to run, by name; an error text for an input that is neither.
std::optional<std::string> collect(const Options& options, std::vector<Script>& scripts) {
  for (const std::string& input : options.inputs) {
    std::error_code ec;
    if (fs::is_directory(input, ec)) {
      std::vector<Script> found;
      for (const auto& entry : fs::directory_iterator(input, ec)) {
        if (entry.path().extension() == ".wast" && entry.is_regular_file(ec)) {
          found.push_back({entry.path().string(), entry.path().filename().string()});
        }
      }
      if (ec) return "cannot list " + input + ": " + ec.message();
      std::sort(found.begin(), found.end(),
                [](const Script& a, const Script& b) { return a.name < b.name; });
      scripts.insert(scripts.end(), found.begin(), found.end());
    } else if (fs::is_regular_file(input, ec)) {
      scripts.push_back({input, fs::path(input).filename().string()});
    } else {
      return "no such file or directory: " + input;
    }
  }
  std::erase_if(scripts,
                [&](const Script& s) { return s.name.find(options.filter) == std::string::npos; });
  return std::nullopt;
}

struct Tally {
  std::array<unsigned, kNumKinds> total{}, passed{};
  unsigned commands = 0, n_passed = 0, n_failed = 0, n_skipped = 0;

  void add(const Outcome& o) {
    ++commands;
    ++total[o.kind < kNumKinds ? o.kind : kScriptKind];
    if (o.status == Status::Passed) ++passed[o.kind < kNumKinds ? o.kind : kScriptKind];
    (o.status == Status::Passed ? n_passed : o.status == Status::Failed ? n_failed : n_skipped)++;
  }
  std::string text() const {
    std::string s = fmt::format("{} commands, {} passed, {} failed, {} skipped (", commands,
                                n_passed, n_failed, n_skipped);
    bool first = true;
    for (uint8_t k = 0; k < kNumKinds; ++k) {
      if (total[k] == 0) continue;
      s += fmt::format("{}{} {}/{}", first ? "" : ", ", kind_name(k), passed[k], total[k]);
      first = false;
    }
    return s + ")";
  }
};

struct RunCounts {
  unsigned known = 0, unexpected = 0, stale = 0;
};

// "assert_return invoke "f" (i32:1): expected (i32:2), got (i32:3)", "module $M: why".
std::string headline(const Outcome& o) {
  bool joined = o.detail.empty() || o.detail[0] == ':';
  return std::string(kind_name(o.kind)) + (joined ? "" : " ") + o.detail;
}

// Prints one file's line and its failures; counts what the known-failures list makes of them.
void report_file(const FileResult& result, const KnownFailures* known, bool verbose, Tally& total,
                 RunCounts& counts) {
  Tally tally;
  for (const Outcome& o : result.outcomes) {
    tally.add(o);
    total.add(o);
  }
  fmt::print("{}: {}\n", result.name, tally.text());
  std::vector<uint32_t> passed_lines, failed_lines;
  for (const Outcome& o : result.outcomes) {
    const std::string* reason = known ? known->find(result.name, o.line) : nullptr;
    std::string where = fmt::format("{}:{}", result.name, o.line);
    if (o.status == Status::Failed) {
      failed_lines.push_back(o.line);
      if (reason) {
        ++counts.known;
        if (verbose) {
          fmt::print("  {}: {} [known: {}]\n", where, headline(o), *reason);
        }
      } else {
        ++counts.unexpected;
        fmt::print("  {}: {}\n", where, headline(o));
      }
    } else if (o.status == Status::Skipped) {
      fmt::print("  {}: skipped {}\n", where, headline(o));
    } else {
      passed_lines.push_back(o.line);
    }
  }
  const auto* entries = known ? known->entries(result.name) : nullptr;
  if (!entries) return;
  for (const auto& [line, reason] : *entries) {
    if (std::find(failed_lines.begin(), failed_lines.end(), line) != failed_lines.end()) continue;
    bool passes = std::find(passed_lines.begin(), passed_lines.end(), line) != passed_lines.end();
    ++counts.stale;
    fmt::print("  {}:{}: stale known failure ({}): {}\n", result.name, line,
               passes ? "the command passes now" : "no command fails at that line", reason);
  }
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (auto status = parse_options(argc, argv, options)) return *status;
  std::vector<Script> scripts;
  if (auto error = collect(options, scripts)) return usage_error(*error);
  std::optional<KnownFailures> known;
  if (options.known_failures) {
    auto loaded = KnownFailures::load(*options.known_failures);
    if (!loaded) return usage_error(loaded.error().message);
    known = std::move(*loaded);
  }

  auto start = std::chrono::steady_clock::now();
  Tally total;
  RunCounts counts;
  for (const Script& script : scripts) {
    FileResult result = run_file(script.path, script.name, options.file);
    report_file(result, known ? &*known : nullptr, options.file.run.verbose, total, counts);
    std::fflush(stdout);
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  fmt::print("\ntotal: {} files, {} in {:.1f} s\n", scripts.size(), total.text(), seconds);
  if (known) {
    fmt::print("known failures: {}; unexpected failures: {}; stale entries: {}\n", counts.known,
               counts.unexpected, counts.stale);
  }
  fmt::print("{} passed, {} failed, {} skipped\n", total.n_passed, total.n_failed, total.n_skipped);
  return counts.unexpected == 0 && counts.stale == 0 ? 0 : 1;
}
