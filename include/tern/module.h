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
  // Reads a .wasm file, a compiled-module cache (by its magic, see deserialize), or a .wat file
  // (by content: anything else).
  static Result<Module> from_file(Engine& engine, const std::string& path);
  // Decodes and validates a binary module (within the engine's Config::module_limits) without
  // compiling it: memory a small multiple of the module's size (docs/limits.md).
  static Result<void> validate(Engine& engine, std::span<const uint8_t> bytes);
  // The same for a file, read as from_file reads it.
  static Result<void> validate_file(Engine& engine, const std::string& path);

  // The compiled-module cache (docs/embedding.md): the module's wasm bytes and, when the JIT
  // compiled it, its native code for every function (a lazily compiled module is compiled
  // whole for this), relocatable, under a header naming this build and this CPU. Fails for
  // code with fuel metering (Config::consume_fuel).
  Result<std::vector<uint8_t>> serialize() const;
  // Loads what serialize wrote, without compiling: rejected with an Error saying why when it
  // was made by another Tern version or build, for another ISA or for CPU features this host
  // lacks, when it is truncated or corrupt (a checksum), or when the engine cannot run its code
  // (Tier::Interp or fuel metering for native code; Tier::Jit for a cache without). The
  // checksum catches accidents, not forgeries: load only caches you would run as code.
  static Result<Module> deserialize(Engine& engine, std::span<const uint8_t> bytes);
  // Whether `bytes` start like a compiled-module cache (its magic, "\0twasm\r\n").
  static bool is_serialized(std::span<const uint8_t> bytes);

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
