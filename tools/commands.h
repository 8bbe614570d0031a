// The `tern` subcommands. Each parses its own options from argv[first] on and returns the
// process exit status.
#pragma once

#include <string>

#include "tern/error.h"

namespace tern::cli {

// Exit statuses shared by every subcommand.
constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;  // invalid module, trap, failed instantiation, unreadable file
constexpr int kExitUsage = 2;    // the command line itself is wrong

int run_command(int argc, char** argv, int first);
int validate_command(int argc, char** argv, int first);
int compile_command(int argc, char** argv, int first);
int inspect_command(int argc, char** argv, int first);
// Its help is the spec runner's (`tern wast --help`).
int wast_command(int argc, char** argv, int first);
// Runs the `tern-serve` program installed beside `tern` (tools/serve/): it links the HTTP
// library, which the static `tern` cannot.
int serve_command(int argc, char** argv, int first);

extern const char* const kRunHelp;
extern const char* const kValidateHelp;
extern const char* const kCompileHelp;
extern const char* const kInspectHelp;

// Prints `tern <command>: <message>` and a pointer to the help; returns kExitUsage.
int usage_error(const char* command, const std::string& message);
// Prints `Error: <message>` on stderr, and for a trap its wasm backtrace.
void print_error(const Error& error, const std::string& context = "");
// What print_error prints, as text.
std::string format_error(const Error& error, const std::string& context = "");

}  // namespace tern::cli
