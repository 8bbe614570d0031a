// A compiled module: decoded, validated and compiled for one tier; instantiate it with a Linker.
//
// Thread safety: a Module is immutable once compiled (lazily compiled JIT functions are
// published safely), so one Module may be instantiated in many stores on many threads at once.
// Copies share the compiled code.
#pragma once

#include <tern/engine.h>
#include <tern/error.h>
#include <tern/types.h>

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

// Exported from libtern.so (cmake/TernInstall.cmake): the library is built with hidden visibility.
#pragma GCC visibility push(default)
namespace tern {

class Module {
 public:
  struct ImportDesc {
    std::string module, name;
    ExternKind kind;
    FuncType func;  // for functions
    TableType table;
    MemoryType memory;
    GlobalType global;
    FuncType tag;  // for tags: the payload as params
  };
  struct ExportDesc {
    std::string name;
    ExternKind kind;
    FuncType func;  // for functions
    TableType table;
    MemoryType memory;
    GlobalType global;
    FuncType tag;  // for tags: the payload as params
  };

  // Decodes, validates and prepares a binary module for the engine's tier.
  static Result<Module> compile(Engine& engine, std::span<const uint8_t> bytes);
  // Reads a .wasm file, or a .wat file (by content: anything not starting with "\0asm").
  static Result<Module> from_file(Engine& engine, const std::string& path);
  // Decodes and validates a binary module (within the engine's Config::module_limits) without
  // compiling it: memory a small multiple of the module's size (docs/limits.md).
  static Result<void> validate(Engine& engine, std::span<const uint8_t> bytes);
  // The same for a file, read as from_file reads it.
  static Result<void> validate_file(Engine& engine, const std::string& path);

  std::vector<ImportDesc> imports() const;
  std::vector<ExportDesc> exports() const;
  std::string_view name() const;  // from the name section, or empty
  Tier tier() const;              // the tier that runs it: Interp or Jit, never Auto

 private:
  friend struct detail::Access;
  explicit Module(std::shared_ptr<const rt::CompiledModule> m) : impl_(std::move(m)) {}
  std::shared_ptr<const rt::CompiledModule> impl_;
};

}  // namespace tern

#pragma GCC visibility pop
