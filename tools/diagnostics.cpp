// How the CLI reports errors: usage mistakes, and errors and traps from the engine.
#include <cstdio>
#include <string>

#include "tools/commands.h"

namespace tern::cli {

int usage_error(const char* command, const std::string& message) {
  std::fprintf(stderr, "tern %s: %s\nRun `tern %s --help` for usage.\n", command, message.c_str(),
               command);
  return kExitUsage;
}

void print_error(const Error& error, const std::string& context) {
  std::string prefix = context.empty() ? "" : context + ": ";
  if (!error.trap) {
    std::fprintf(stderr, "Error: %s%s\n", prefix.c_str(), error.to_string().c_str());
    return;
  }
  const Trap& trap = *error.trap;
  std::string message = trap.message.empty() ? trap_message(trap.code) : trap.message;
  std::fprintf(stderr, "Error: %s%s\n", prefix.c_str(), message.c_str());
  if (trap.backtrace.empty()) return;
  std::fprintf(stderr, "wasm backtrace:\n");
  for (size_t i = 0; i < trap.backtrace.size(); ++i) {
    const BacktraceFrame& frame = trap.backtrace[i];
    std::string name = frame.func_name.empty() ? "<unknown>" : frame.func_name;
    if (!frame.module_name.empty()) name = frame.module_name + "!" + name;
    std::fprintf(stderr, "  %zu: %s (func[%u])", i, name.c_str(), frame.func_index);
    if (frame.code_offset) std::fprintf(stderr, " at offset 0x%x", *frame.code_offset);
    std::fprintf(stderr, "\n");
  }
}

}  // namespace tern::cli
