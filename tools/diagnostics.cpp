// How the CLI reports errors: usage mistakes, and errors and traps from the engine.
#include <fmt/format.h>

#include <cstdio>
#include <string>

#include "tools/commands.h"

namespace tern::cli {

int usage_error(const char* command, const std::string& message) {
  fmt::print(stderr, "tern {0}: {1}\nRun `tern {0} --help` for usage.\n", command, message);
  return kExitUsage;
}

std::string format_error(const Error& error, const std::string& context) {
  std::string prefix = context.empty() ? "" : context + ": ";
  if (!error.trap) return fmt::format("Error: {}{}\n", prefix, error.to_string());
  const Trap& trap = *error.trap;
  std::string message = trap.message.empty() ? trap_message(trap.code) : trap.message;
  std::string text = fmt::format("Error: {}{}\n", prefix, message);
  if (trap.backtrace.empty()) return text;
  text += "wasm backtrace:\n";
  for (size_t i = 0; i < trap.backtrace.size(); ++i) {
    const BacktraceFrame& frame = trap.backtrace[i];
    std::string name = frame.func_name.empty() ? "<unknown>" : frame.func_name;
    if (!frame.module_name.empty()) name = frame.module_name + "!" + name;
    text += fmt::format("  {}: {} (func[{}])", i, name, frame.func_index);
    if (frame.code_offset) text += fmt::format(" at offset 0x{:x}", *frame.code_offset);
    text += "\n";
  }
  return text;
}

void print_error(const Error& error, const std::string& context) {
  std::fputs(format_error(error, context).c_str(), stderr);
}

}  // namespace tern::cli
