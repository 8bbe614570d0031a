// The preview1 ABI as the guest sees it: errno values, flag bits, enum tags and the byte layout
// of every record (from typenames.witx; offsets follow the witx rules: natural alignment, unions
// tagged with the tag first and the payload at the payload's alignment).
#pragma once

#include <cstdint>

namespace tern::wasi {

// Which module name a call came through; the few layouts and enums that differ are listed in
// modules.cpp.
enum class Abi : uint8_t { Preview1, Unstable };

enum class Errno : uint16_t {
  success,
  toobig,
  acces,
  addrinuse,
  addrnotavail,
  afnosupport,
  again,
  already,
  badf,
  badmsg,
  busy,
  canceled,
  child,
  connaborted,
  connrefused,
  connreset,
  deadlk,
  destaddrreq,
  dom,
  dquot,
  exist,
  fault,
  fbig,
  hostunreach,
  idrm,
  ilseq,
  inprogress,
  intr,
  inval,
  io,
  isconn,
  isdir,
  loop,
  mfile,
  mlink,
  msgsize,
  multihop,
  nametoolong,
  netdown,
  netreset,
  netunreach,
  nfile,
  nobufs,
  nodev,
  noent,
  noexec,
  nolck,
  nolink,
  nomem,
  nomsg,
  noprotoopt,
  nospc,
  nosys,
  notconn,
  notdir,
  notempty,
  notrecoverable,
  notsock,
  notsup,
  notty,
  nxio,
  overflow,
  ownerdead,
  perm,
  pipe,
  proto,
  protonosupport,
  prototype,
  range,
  rofs,
  spipe,
  srch,
  stale,
  timedout,
  txtbsy,
  xdev,
  notcapable,
};
static_assert(uint16_t(Errno::fault) == 21 && uint16_t(Errno::notcapable) == 76);

using Rights = uint64_t;
namespace right {
enum : Rights {
  fd_datasync = 1ull << 0,
  fd_read = 1ull << 1,
  fd_seek = 1ull << 2,
  fd_fdstat_set_flags = 1ull << 3,
  fd_sync = 1ull << 4,
  fd_tell = 1ull << 5,
  fd_write = 1ull << 6,
  fd_advise = 1ull << 7,
  fd_allocate = 1ull << 8,
  path_create_directory = 1ull << 9,
  path_create_file = 1ull << 10,
  path_link_source = 1ull << 11,
  path_link_target = 1ull << 12,
  path_open = 1ull << 13,
  fd_readdir = 1ull << 14,
  path_readlink = 1ull << 15,
  path_rename_source = 1ull << 16,
  path_rename_target = 1ull << 17,
  path_filestat_get = 1ull << 18,
  path_filestat_set_size = 1ull << 19,
  path_filestat_set_times = 1ull << 20,
  fd_filestat_get = 1ull << 21,
  fd_filestat_set_size = 1ull << 22,
  fd_filestat_set_times = 1ull << 23,
  path_symlink = 1ull << 24,
  path_remove_directory = 1ull << 25,
  path_unlink_file = 1ull << 26,
  poll_fd_readwrite = 1ull << 27,
  sock_shutdown = 1ull << 28,
  sock_accept = 1ull << 29,
};
constexpr Rights kAll = (1ull << 30) - 1;
// What a regular file can do; the rest only make sense on directories (and the reverse).
constexpr Rights kFile = fd_datasync | fd_read | fd_seek | fd_fdstat_set_flags | fd_sync | fd_tell |
                         fd_write | fd_advise | fd_allocate | fd_filestat_get |
                         fd_filestat_set_size | fd_filestat_set_times | poll_fd_readwrite;
constexpr Rights kDir =
    fd_fdstat_set_flags | fd_sync | fd_datasync | fd_advise | path_create_directory |
    path_create_file | path_link_source | path_link_target | path_open | fd_readdir |
    path_readlink | path_rename_source | path_rename_target | path_filestat_get |
    path_filestat_set_size | path_filestat_set_times | fd_filestat_get | fd_filestat_set_times |
    path_symlink | path_remove_directory | path_unlink_file;
// Every right that changes the file system (a read-only preopen lacks them all).
constexpr Rights kWrites = fd_datasync | fd_write | fd_allocate | path_create_directory |
                           path_create_file | path_link_source | path_link_target |
                           path_rename_source | path_rename_target | path_filestat_set_size |
                           path_filestat_set_times | fd_filestat_set_size | fd_filestat_set_times |
                           path_symlink | path_remove_directory | path_unlink_file;
constexpr Rights kTty =
    fd_read | fd_write | fd_fdstat_set_flags | fd_filestat_get | poll_fd_readwrite;
constexpr Rights kSocket = fd_read | fd_write | fd_fdstat_set_flags | fd_filestat_get |
                           poll_fd_readwrite | sock_shutdown | sock_accept;
}  // namespace right

enum class Filetype : uint8_t {
  unknown,
  block_device,
  character_device,
  directory,
  regular_file,
  socket_dgram,
  socket_stream,
  symbolic_link,
};

namespace fdflag {
enum : uint16_t { append = 1, dsync = 2, nonblock = 4, rsync = 8, sync = 16 };
}
namespace oflag {
enum : uint16_t { creat = 1, directory = 2, excl = 4, trunc = 8 };
}
namespace fstflag {
enum : uint16_t { atim = 1, atim_now = 2, mtim = 4, mtim_now = 8 };
}
namespace lookupflag {
enum : uint32_t { symlink_follow = 1 };
}

enum class ClockId : uint32_t { realtime, monotonic, process_cputime, thread_cputime };
enum class EventType : uint8_t { clock, fd_read, fd_write };
constexpr uint16_t kSubclockAbstime = 1;
constexpr uint16_t kEventHangup = 1;
constexpr uint16_t kRecvPeek = 1, kRecvWaitall = 2;
constexpr uint16_t kRecvDataTruncated = 1;
constexpr uint8_t kShutRd = 1, kShutWr = 2;
constexpr uint8_t kPreopenTypeDir = 0;
constexpr uint32_t kSignalCount = 31;  // signal: none .. sys

// Record layouts: byte offsets and sizes.
namespace layout {
constexpr uint32_t kIovecSize = 8;    // buf: u32 @0, buf_len: u32 @4
constexpr uint32_t kFdstatSize = 24;  // filetype u8 @0, flags u16 @2, base u64 @8, inh u64 @16
constexpr uint32_t kDirentSize = 24;  // d_next u64 @0, d_ino u64 @8, d_namlen u32 @16, d_type @20
constexpr uint32_t kPrestatSize = 8;  // tag u8 @0, pr_name_len u32 @4
constexpr uint32_t kEventSize =
    32;  // userdata @0, error u16 @8, type u8 @10, nbytes @16, flags @24

// filestat: dev @0, ino @8, filetype u8 @16, nlink, size, atim, mtim, ctim.
struct Filestat {
  uint32_t nlink, nlink_size, size, atim, mtim, ctim, total;
};
constexpr Filestat kFilestatPreview1{24, 8, 32, 40, 48, 56, 64};
constexpr Filestat kFilestatUnstable{20, 4, 24, 32, 40, 48, 56};  // linkcount is u32

// subscription: userdata u64 @0, tag u8 @8, payload @16.
struct Subscription {
  uint32_t clock_id, timeout, precision, flags, fd, total;
};
// preview1 subscription_clock: id u32 @0, timeout @8, precision @16, flags u16 @24.
constexpr Subscription kSubscriptionPreview1{16, 24, 32, 40, 16, 48};
// unstable subscription_clock starts with an `identifier` u64 the host ignores.
constexpr Subscription kSubscriptionUnstable{24, 32, 40, 48, 16, 56};
}  // namespace layout

}  // namespace tern::wasi
