// A guest's WASI state (descriptor table, args, environment) and what each call sees: the
// context, the guest's memory and which module name the call came through.
#pragma once

#include <sys/uio.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tern/wasi.h"
#include "wasi/abi.h"
#include "wasi/guest_memory.h"
#include "wasi/os_posix.h"

namespace tern::wasi {

// How calls on a descriptor avoid blocking in the kernel, so that an interruption can end their
// waits (blocking.h).
enum class WaitMode : uint8_t {
  never,        // regular files, directories: nothing to wait for
  nonblocking,  // a private open file description with O_NONBLOCK: `again` means wait
  toggle,       // a shared one (a listening socket, a socket as stdio): O_NONBLOCK per attempt
};

struct FdEntry {
  os::UniqueFd host;
  Filetype type = Filetype::unknown;
  WaitMode wait_mode = WaitMode::never;
  bool guest_nonblocking = false;  // fdflags.nonblock as the guest set it (the host's may differ)
  Rights base = 0, inheriting = 0;
  std::optional<std::string> preopen_name;  // set for a preopened directory
  // For directories: the preopen they were opened beneath (kept alive if the guest closes it),
  // which bounds symlink targets.
  std::shared_ptr<os::UniqueFd> root;
  // Set for stdio the embedder gave as a Stream (no host descriptor): fd_read, fd_write and
  // poll_oneoff go to it.
  std::shared_ptr<Stream> stream;
};

class Context {
 public:
  std::vector<std::string> args;
  std::vector<std::string> env;  // "NAME=value"
  std::map<uint32_t, FdEntry> fds;

  // The entry for `fd` if it is open (else badf) and its base rights include `needed` (else
  // notcapable).
  Errno get(uint32_t fd, Rights needed, FdEntry*& out);
  // Adds an entry under the lowest free descriptor number; false if the table is full.
  bool insert(FdEntry entry, uint32_t& fd);
};

struct Call {
  Caller& caller;  // its waits end when the store is interrupted (blocking.h)
  Context& ctx;
  GuestMemory mem;
  Abi abi;
  std::optional<Error> trap;  // set by proc_exit: the call ends in this trap
};

#define WASI_TRY(expr)                                                           \
  do {                                                                           \
    ::tern::wasi::Errno wasi_try_errno_ = (expr);                                \
    if (wasi_try_errno_ != ::tern::wasi::Errno::success) return wasi_try_errno_; \
  } while (0)

// fd_read / fd_write on a Stream entry: each buffer in turn until one moves less than it holds.
Errno stream_read(Stream& stream, const std::vector<struct iovec>& iov, size_t& moved);
Errno stream_write(Stream& stream, const std::vector<struct iovec>& iov, size_t& moved);

// Marshalling helpers shared by the calls.
Errno read_iovecs(const GuestMemory& mem, uint32_t iovs, uint32_t iovs_len,
                  std::vector<struct iovec>& out);
Errno read_path(const GuestMemory& mem, uint32_t ptr, uint32_t len, std::string& out);
inline Errno store_u32(const GuestMemory& mem, uint32_t ptr, uint32_t v) {
  return mem.store(ptr, v) ? Errno::success : Errno::fault;
}
inline Errno store_u64(const GuestMemory& mem, uint32_t ptr, uint64_t v) {
  return mem.store(ptr, v) ? Errno::success : Errno::fault;
}
// Writes a filestat in the call's ABI layout.
Errno store_filestat(const Call& call, uint32_t ptr, const struct stat& st);
// The WASI filetype of an open host descriptor (sockets by SO_TYPE).
Filetype filetype_of_fd(int fd, const struct stat& st);

// The timespec pair for futimens/utimensat from fst_flags; `inval` for unknown or conflicting
// flags (a time and "now" for the same field).
Errno times_from_flags(uint64_t atim, uint64_t mtim, uint32_t fst_flags, struct timespec out[2]);

// The WASI functions, declared from functions.def.
namespace fn {
#define WASI_FUNC(name, in_unstable, ...) Errno name(Call& call __VA_OPT__(, ) __VA_ARGS__);
#include "wasi/functions.def"
}  // namespace fn

}  // namespace tern::wasi
