// The spec runner's command line: runs the official .wast scripts and reports per file and in
// total. The body of tern_spec_runner and of `tern wast`.
#include "spec-tests/runner_main.h"

#include <fmt/core.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/feature_switches.h"
#include "spec-tests/file_runner.h"
#include "spec-tests/known_failures.h"

namespace fs = std::filesystem;

namespace tern::spec {

namespace {

constexpr const char* kUsage = R"(Usage: {program} [OPTIONS] DIR|FILE.wast...

Runs WebAssembly spec-test scripts (.wast) and reports every command that does not do what the
script asserts. A DIR means the .wast files directly inside it, in name order.

Options:
  --tier interp|jit|jit-lazy
                          execution tier (default interp); jit-lazy compiles each function
                          on its first call
  --known-failures FILE   failures to expect: lines `file.wast:LINE  reason`, or
                          `file.wast  reason` for a whole script; a listed failure does not
                          fail the run, a listed command (or script) that passes does (stale)
  --write-known-failures FILE
                          write this run's failures to FILE in that format, keeping the reasons
                          of --known-failures entries that still fail; a script that does not
                          parse or fails in every command gets one whole-script entry, as does
                          one listed whole with a reason saying "not implemented" while it fails
  --through-cache         use every module as Module::deserialize loads what
                          Module::serialize wrote of it (the compiled-module cache)
  --gc-stress             collect the GC heap at every allocation (Store::set_gc_stress)
  --recursive             a DIR also means the .wast files in its subfolders, named by their
                          path in DIR (gc/array.wast)
  --exclude-dir NAME      with --recursive, leave out the subfolder NAME (repeatable)
  --wasm 2.0|3.0          the proposals modules may use: exactly Wasm 2.0, or Wasm 3.0 (the
                          default, with legacy exceptions)
  -W NAME=y|n,...         switch single proposals on or off after --wasm: tail-call,
                          exceptions, legacy-exceptions, memory64, multi-memory,
                          extended-const, function-references, gc, relaxed-simd
  --filter SUBSTR         only the files whose name contains SUBSTR
  --profile perfmap       name the JIT's code for Linux perf in /tmp/perf-PID.map (one map
                          per process: isolated scripts run in processes of their own)
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
  std::vector<std::string> feature_switches;  // -W values, applied after --wasm in order
  std::optional<std::string> write_known_failures;
  bool recursive = false;
  std::vector<std::string> excluded_dirs;
};

// The program's name in messages: "tern_spec_runner" or "tern wast".
std::string g_program;

int usage_error(const std::string& message) {
  fmt::print(stderr, "{}: {}\n(see {} --help)\n", g_program, message, g_program);
  return 2;
}

// Parses the command line; returns an exit status when the program should stop.
std::optional<int> parse_options(int argc, char** argv, int first, Options& options) {
  for (int i = first; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&]() -> std::optional<std::string> {
      if (i + 1 >= argc) return std::nullopt;
      return std::string(argv[++i]);
    };
    if (arg == "-h" || arg == "--help") {
      fmt::print(fmt::runtime(kUsage), fmt::arg("program", g_program));
      return 0;
    } else if (arg == "--verbose") {
      options.file.run.verbose = true;
    } else if (arg == "--no-isolate") {
      options.file.isolate = false;
    } else if (arg == "--through-cache") {
      options.file.run.through_cache = true;
    } else if (arg == "--gc-stress") {
      options.file.run.gc_stress = true;
    } else if (arg == "--recursive") {
      options.recursive = true;
    } else if (arg == "--tier" || arg == "--known-failures" || arg == "--filter" ||
               arg == "--timeout" || arg == "--wasm" || arg == "-W" ||
               arg == "--write-known-failures" || arg == "--exclude-dir" || arg == "--profile") {
      auto v = value();
      if (!v) return usage_error(arg + " needs a value");
      if (arg == "--profile") {
        if (*v != "perfmap") return usage_error("unknown profiler '" + *v + "' (perfmap)");
        options.file.run.profiler = tern::Profiler::PerfMap;
      } else if (arg == "--write-known-failures") {
        options.write_known_failures = *v;
      } else if (arg == "--exclude-dir") {
        options.excluded_dirs.push_back(*v);
      } else if (arg == "--wasm") {
        auto preset = tern::wasm_features_preset(*v);
        if (!preset) return usage_error("unknown --wasm version '" + *v + "' (2.0 or 3.0)");
        options.file.run.features = *preset;
      } else if (arg == "-W") {
        options.feature_switches.push_back(*v);
      } else if (arg == "--tier") {
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
  for (const std::string& switches : options.feature_switches) {
    std::string error = tern::apply_feature_switches(switches, options.file.run.features);
    if (!error.empty()) return usage_error("-W: " + error);
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
      auto add = [&](const fs::directory_entry& entry) {
        if (entry.path().extension() == ".wast" && entry.is_regular_file(ec)) {
          found.push_back(
              {entry.path().string(), entry.path().lexically_relative(input).generic_string()});
        }
      };
      if (options.recursive) {
        for (auto it = fs::recursive_directory_iterator(input, ec);
             it != fs::recursive_directory_iterator(); it.increment(ec)) {
          std::string relative = it->path().lexically_relative(input).generic_string();
          if (it->is_directory(ec) &&
              std::find(options.excluded_dirs.begin(), options.excluded_dirs.end(), relative) !=
                  options.excluded_dirs.end()) {
            it.disable_recursion_pending();
            continue;
          }
          add(*it);
        }
      } else {
        for (const auto& entry : fs::directory_iterator(input, ec)) add(entry);
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

// The text of a known-failures entry: one line, whatever the message holds.
std::string one_line(std::string s) {
  std::replace(s.begin(), s.end(), '\n', ' ');
  std::replace(s.begin(), s.end(), '\r', ' ');
  return s;
}

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
  if (const std::string* reason = known ? known->whole_script(result.name) : nullptr;
      reason && failed_lines.empty()) {
    ++counts.stale;
    fmt::print("  {}: stale known failure (the script passes now): {}\n", result.name, *reason);
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

// The known-failures entries for one script's failures (see --write-known-failures). A listed
// whole script stays whole while every command fails, or, if its reason says a proposal is
// "not implemented", while any command fails; otherwise its failures are listed by line.
std::string known_failure_entries(const FileResult& result, const KnownFailures* known) {
  std::vector<const Outcome*> failed;
  for (const Outcome& o : result.outcomes) {
    if (o.status == Status::Failed) failed.push_back(&o);
  }
  if (failed.empty()) return "";
  const std::string* whole = known ? known->whole_script(result.name) : nullptr;
  bool unparsed = failed.size() == 1 && failed[0]->kind == kScriptKind;
  bool every_command = unparsed || failed.size() == result.outcomes.size();
  if (every_command || (whole && whole->find("not implemented") != std::string::npos)) {
    std::string reason = whole ? *whole : one_line(headline(*failed[0]));
    if (!whole && !unparsed) reason = "every command fails; the first: " + reason;
    return fmt::format("{}  {}\n", result.name, reason);
  }
  const auto* lines = known ? known->entries(result.name) : nullptr;
  std::string text;
  uint32_t last_line = 0;
  for (const Outcome* o : failed) {
    if (o->line == last_line) continue;  // one entry covers every command on a line
    last_line = o->line;
    const std::string* reason = nullptr;
    if (lines) {
      auto it = lines->find(o->line);
      if (it != lines->end()) reason = &it->second;
    }
    text +=
        fmt::format("{}:{}  {}\n", result.name, o->line, reason ? *reason : one_line(headline(*o)));
  }
  return text;
}

}  // namespace

int runner_main(int argc, char** argv, int first, const std::string& program) {
  g_program = program;
  Options options;
  if (auto status = parse_options(argc, argv, first, options)) return *status;
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
  std::string entries;
  for (const Script& script : scripts) {
    FileResult result = run_file(script.path, script.name, options.file);
    report_file(result, known ? &*known : nullptr, options.file.run.verbose, total, counts);
    entries += known_failure_entries(result, known ? &*known : nullptr);
    std::fflush(stdout);
  }
  if (options.write_known_failures) {
    std::FILE* out = std::fopen(options.write_known_failures->c_str(), "w");
    if (!out) return usage_error("cannot write " + *options.write_known_failures);
    fmt::print(out,
               "# Written by tern_spec_runner --write-known-failures: `file.wast:LINE  reason` "
               "or `file.wast  reason`.\n{}",
               entries);
    std::fclose(out);
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  fmt::print("\ntotal: {} files, {} in {:.1f} s\n", scripts.size(), total.text(), seconds);
  if (known) {
    fmt::print("known failures: {}; unexpected failures: {}; stale entries: {}\n", counts.known,
               counts.unexpected, counts.stale);
  }
  fmt::print("{} passed, {} failed ({} known), {} skipped\n", total.n_passed, total.n_failed,
             counts.known, total.n_skipped);
  return counts.unexpected == 0 && counts.stale == 0 ? 0 : 1;
}

}  // namespace tern::spec
