// Runs the commands of one parsed .wast script, in order, against one engine and store.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "engine/text/wast.h"
#include "spec-tests/outcome.h"
#include "tern/tern.h"

namespace tern::spec {

struct RunOptions {
  Tier tier = Tier::Interp;
  bool lazy_compile = false;           // Config::lazy_compile, for the jit tier
  Profiler profiler = Profiler::None;  // Config::profiler
  bool verbose = false;
  // Every module goes through the compiled-module cache: serialized after compiling and used
  // as deserialized (Module::serialize/deserialize).
  bool through_cache = false;
  // Store::set_gc_stress: the GC heap collects at every allocation, so a missing root shows.
  bool gc_stress = false;
  WasmFeatures features = WasmFeatures::wasm30();  // Config::features
};

class ScriptRunner {
 public:
  explicit ScriptRunner(const RunOptions& options);

  // Runs one command. Later commands see its effects (modules, registrations, state).
  Outcome run(const text::Command& command);
  // Records that `command` was not run: a module it would have defined is missing.
  void forget(const text::Command& command, const std::string& why);

 private:
  struct ActionResult {
    std::string not_attempted;  // why the action could not be attempted, if it could not
    Result<std::vector<Value>> values = std::vector<Value>{};
  };
  // An instance slot: the instance, or why there is none.
  struct Slot {
    std::optional<Instance> instance;
    std::string missing;
  };
  // A `module definition`: the compiled module, or why there is none.
  struct Definition {
    std::optional<Module> module;
    std::string missing;
  };

  Outcome run_module(const text::Command& c);
  Outcome run_register(const text::Command& c);
  Outcome run_action(const text::Command& c);
  Outcome run_assert_return(const text::Command& c);
  Outcome run_assert_action_trap(const text::Command& c);
  Outcome run_assert_module(const text::Command& c);
  Outcome run_assert_exception(const text::Command& c);
  Outcome run_module_definition(const text::Command& c);
  Outcome run_module_instance(const text::Command& c);
  ActionResult perform(const text::Action& action);
  const Slot& slot(const std::optional<std::string>& id) const;
  void set_module(const text::ScriptModule& m, Slot slot);
  void set_definition(const text::ScriptModule& m, Definition definition);
  void set_instance(const text::Command& c, Slot slot);
  // Compiles the module of an assertion; the error if encoding or compiling failed.
  Result<Module> compile(const text::ScriptModule& m);
  Result<Module> compile_binary(std::span<const uint8_t> bytes);

  Engine engine_;
  Store store_;
  bool through_cache_;
  Linker linker_;
  std::string spectest_error_;  // why `spectest` could not be set up, if it could not
  Slot latest_{std::nullopt, "no module has been defined yet"};
  std::map<std::string, Slot> named_;
  Definition latest_definition_{std::nullopt, "no module definition yet"};
  std::map<std::string, Definition> definitions_;
};

// "invoke "f" (i32:1 i32:2)", "get $M "g"".
std::string describe(const text::Action& action);
// What a report names a command by, after its kind: its action, a module's id, or the expected
// message of a module assertion.
std::string describe(const text::Command& command);

}  // namespace tern::spec
