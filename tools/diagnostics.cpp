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
  // As wasmtime prints them: `  0:   0x1a3 - module!func`, the instruction's offset in the
  // module, the module and function from the name section.
  for (size_t i = 0; i < trap.backtrace.size(); ++i) {
    const BacktraceFrame& frame = trap.backtrace[i];
    std::string where =
        frame.code_offset ? fmt::format("{:#6x}", *frame.code_offset) : std::string(6, ' ');
    std::string module = frame.module_name.empty() ? "<unknown>" : frame.module_name;
    std::string func = frame.func_name.empty() ? fmt::format("<wasm function {}>", frame.func_index)
                                               : frame.func_name;
    text += fmt::format("  {:>3}: {} - {}!{}\n", i, where, module, func);
  }
  return text;
}

void print_error(const Error& error, const std::string& context) {
  std::fputs(format_error(error, context).c_str(), stderr);
}

}  // namespace tern::cli
