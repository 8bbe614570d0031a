// WASI preview1 for Tern: `wasi_snapshot_preview1` and the older `wasi_unstable`, native and
// sandboxed to preopened directories.
//
// Two ways to bind it (docs/embedding.md, "WASI"):
//   - add_to_linker(linker, config): one context, fixed in the linker (`tern run`);
//   - add_to_linker_per_store(linker, context_of) once, then make_context(config) per store: one
//     pre-linked template that many stores instantiate from, each with its own descriptors,
//     args and environment (`tern serve`: a context per request).
#pragma once

#include <tern/tern.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

// Exported from libtern.so (cmake/TernInstall.cmake): the library is built with hidden visibility.
#pragma GCC visibility push(default)
namespace tern::wasi {

// What a stream call did: `bytes` moved, or `error`, a POSIX errno value (EPIPE, EFBIG, ...)
// that the guest sees as the matching WASI errno.
struct IoResult {
  size_t bytes = 0;
  int error = 0;
};

// A guest's stdin, stdout or stderr that is not a host descriptor: a memory buffer, a callback,
// an HTTP request body. The guest sees a descriptor of filetype `unknown` (not a tty) with the
// rights fd_read, fd_write and poll_fd_readwrite; it is always ready for poll_oneoff, so a
// stream must not block: return what there is (0 bytes read means end of input). Called on the
// thread running the guest. A direction a stream does not override fails with EBADF.
class Stream {
 public:
  virtual ~Stream() = default;
  virtual IoResult read(std::span<uint8_t> buffer);
  virtual IoResult write(std::span<const uint8_t> data);
};

// Input from bytes in memory, read once.
class MemoryInput : public Stream {
 public:
  explicit MemoryInput(std::string data) : data_(std::move(data)) {}
  IoResult read(std::span<uint8_t> buffer) override;

 private:
  std::string data_;
  size_t offset_ = 0;
};

// Output collected in memory, up to `limit` bytes; a write past it fails with EFBIG.
class MemoryOutput : public Stream {
 public:
  explicit MemoryOutput(size_t limit = std::numeric_limits<size_t>::max()) : limit_(limit) {}
  IoResult write(std::span<const uint8_t> data) override;
  // Everything written so far; safe from another thread.
  std::string contents() const;

 private:
  size_t limit_;
  mutable std::mutex mutex_;
  std::string data_;
};

// Output handed to a callback as it is written (each call's bytes, whole).
class CallbackOutput : public Stream {
 public:
  explicit CallbackOutput(std::function<void(std::string_view)> sink) : sink_(std::move(sink)) {}
  IoResult write(std::span<const uint8_t> data) override;

 private:
  std::function<void(std::string_view)> sink_;
};

struct Preopen {
  std::string host_path;   // a directory on the host
  std::string guest_path;  // the name the guest sees (e.g. "/" or "data")
  // Read-only: the directory and everything opened beneath it lack every right that writes
  // (creating, writing, truncating, renaming, linking, unlinking, setting times); such calls fail
  // with `notcapable`, preview1's answer to a missing right.
  bool read_only = false;
};

struct Config {
  std::vector<std::string> args;  // argv, program name first
  std::vector<std::pair<std::string, std::string>> env;
  std::vector<Preopen> preopens;                   // become descriptors 3, 4, ... in order
  int stdin_fd = 0, stdout_fd = 1, stderr_fd = 2;  // host descriptors for guest 0, 1, 2
  // When set, guest descriptor 0, 1 or 2 is this stream instead of the host descriptor.
  std::shared_ptr<Stream> stdin_stream, stdout_stream, stderr_stream;
  std::vector<int> listen_fds;  // listening sockets handed to the guest after the preopens
};

// One guest's WASI state: descriptor table, args, environment.
class Context;

// A context built from `config`; fails if a preopen cannot be opened.
Result<std::shared_ptr<Context>> make_context(const Config& config);

// Defines every WASI function of both module names in `linker`, bound to a new context built
// from `config`. Fails if a preopen cannot be opened. The context must outlive the calls.
Result<std::shared_ptr<Context>> add_to_linker(Linker& linker, const Config& config);

// Finds the context of the store a call comes from (e.g. kept in Store::data).
using ContextOf = std::function<Context&(Caller& caller)>;

// Defines every WASI function of both module names in `linker`, each call running on the context
// `context_of` returns for its store; that context must outlive the call.
void add_to_linker_per_store(Linker& linker, ContextOf context_of);

}  // namespace tern::wasi

#pragma GCC visibility pop
