// How the CLI reports errors: usage mistakes, and errors and traps from the engine.
#include <fmt/core.h>

#include <cstdio>
#include <string>

#include "tools/commands.h"

namespace tern::cli {

int usage_error(const char* command, const std::string& message) {
  fmt::print(stderr, "tern {0}: {1}\nRun `tern {0} --help` for usage.\n", command, message);
  return kExitUsage;
}

void print_error(const Error& error, const std::string& context) {
  std::string prefix = context.empty() ? "" : context + ": ";
  if (!error.trap) {
    fmt::print(stderr, "Error: {}{}\n", prefix, error.to_string());
    return;
  }
  const Trap& trap = *error.trap;
  std::string message = trap.message.empty() ? trap_message(trap.code) : trap.message;
  fmt::print(stderr, "Error: {}{}\n", prefix, message);
  if (trap.backtrace.empty()) return;
  fmt::print(stderr, "wasm backtrace:\n");
  for (size_t i = 0; i < trap.backtrace.size(); ++i) {
    const BacktraceFrame& frame = trap.backtrace[i];
    std::string name = frame.func_name.empty() ? "<unknown>" : frame.func_name;
    if (!frame.module_name.empty()) name = frame.module_name + "!" + name;
    fmt::print(stderr, "  {}: {} (func[{}])", i, name, frame.func_index);
    if (frame.code_offset) fmt::print(stderr, " at offset 0x{:x}", *frame.code_offset);
    fmt::print(stderr, "\n");
  }
}

}  // namespace tern::cli
