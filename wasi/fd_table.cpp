// The descriptor table and the marshalling every call shares.
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <climits>
#include <cstring>

#include "wasi/blocking.h"
#include "wasi/context.h"

namespace tern::wasi {

namespace {

constexpr uint32_t kMaxFds = 1u << 20;

os::UniqueFd dup_host(int fd) {
  return os::UniqueFd(fcntl(fd, F_DUPFD_CLOEXEC, 0));
}

Error setup_error(const std::string& what) {
  return Error{ErrorKind::Io, "WASI setup: " + what + ": " + std::strerror(errno), {}, {}};
}

}  // namespace

Errno Context::get(uint32_t fd, Rights needed, FdEntry*& out) {
  auto it = fds.find(fd);
  if (it == fds.end()) return Errno::badf;
  if ((it->second.base & needed) != needed) return Errno::notcapable;
  out = &it->second;
  return Errno::success;
}

bool Context::insert(FdEntry entry, uint32_t& fd) {
  uint32_t n = 0;
  for (const auto& [used, e] : fds) {  // keys ascend: the first gap is the lowest free number
    if (used != n) break;
    ++n;
  }
  if (n >= kMaxFds) return false;
  fds.emplace(n, std::move(entry));
  fd = n;
  return true;
}

Filetype filetype_of_fd(int fd, const struct stat& st) {
  Filetype t = os::filetype_of(st.st_mode);
  if (t == Filetype::socket_stream) {
    int type = 0;
    socklen_t len = sizeof type;
    if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) == 0 && type == SOCK_DGRAM)
      t = Filetype::socket_dgram;
  }
  return t;
}

Result<std::shared_ptr<Context>> make_context(const Config& config) {
  auto ctx = std::make_shared<Context>();
  ctx->args = config.args;
  for (const auto& [name, value] : config.env) ctx->env.push_back(name + "=" + value);

  const int stdio[3] = {config.stdin_fd, config.stdout_fd, config.stderr_fd};
  const std::shared_ptr<Stream> streams[3] = {config.stdin_stream, config.stdout_stream,
                                              config.stderr_stream};
  for (uint32_t i = 0; i < 3; ++i) {
    FdEntry e;
    if (streams[i]) {
      e.stream = streams[i];
      e.base = right::fd_read | right::fd_write | right::poll_fd_readwrite;
      ctx->fds.emplace(i, std::move(e));
      continue;
    }
    e.host = dup_host(stdio[i]);
    struct stat st;
    if (!e.host || fstat(e.host.get(), &st) != 0) continue;  // not open: the guest sees badf
    e.type = filetype_of_fd(e.host.get(), st);
    e.base = e.type == Filetype::regular_file ? right::kFile : right::kTty;
    prepare_waits(e, false);
    ctx->fds.emplace(i, std::move(e));
  }
  uint32_t next = 3;
  for (const Preopen& p : config.preopens) {
    FdEntry e;
    e.host = os::UniqueFd(open(p.host_path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!e.host) return setup_error("cannot open preopen " + p.host_path);
    e.root = std::make_shared<os::UniqueFd>(dup_host(e.host.get()));
    if (!*e.root) return setup_error("dup");
    e.type = Filetype::directory;
    const Rights writes = p.read_only ? right::kWrites : 0;
    e.base = right::kDir & ~writes;
    e.inheriting = (right::kDir | right::kFile) & ~writes;
    e.preopen_name = p.guest_path;
    ctx->fds.emplace(next++, std::move(e));
  }
  for (int listener : config.listen_fds) {
    FdEntry e;
    e.host = dup_host(listener);
    if (!e.host) return setup_error("dup of listening socket");
    e.type = Filetype::socket_stream;
    e.base = right::kSocket;
    prepare_waits(e, false);
    ctx->fds.emplace(next++, std::move(e));
  }
  return ctx;
}

Errno read_iovecs(const GuestMemory& mem, uint32_t iovs, uint32_t iovs_len,
                  std::vector<struct iovec>& out) {
  if (!mem.fits(iovs, uint64_t(iovs_len) * layout::kIovecSize)) return Errno::fault;
  if (iovs_len > IOV_MAX) return Errno::inval;
  out.clear();
  for (uint32_t i = 0; i < iovs_len; ++i) {
    uint32_t buf = 0, len = 0;
    mem.load(iovs + i * layout::kIovecSize, buf);
    mem.load(iovs + i * layout::kIovecSize + 4, len);
    uint8_t* p = mem.range(buf, len);
    if (!p) return Errno::fault;
    if (len) out.push_back({p, len});
  }
  return Errno::success;
}

Errno read_path(const GuestMemory& mem, uint32_t ptr, uint32_t len, std::string& out) {
  std::string_view s;
  if (!mem.string(ptr, len, s)) return Errno::fault;
  if (s.find('\0') != std::string_view::npos) return Errno::inval;
  out.assign(s);
  return Errno::success;
}

Errno store_filestat(const Call& call, uint32_t ptr, const struct stat& st) {
  const layout::Filestat& l =
      call.abi == Abi::Preview1 ? layout::kFilestatPreview1 : layout::kFilestatUnstable;
  uint8_t* p = call.mem.range(ptr, l.total);
  if (!p) return Errno::fault;
  std::memset(p, 0, l.total);
  auto put = [&](uint32_t off, uint64_t v, uint32_t size) { std::memcpy(p + off, &v, size); };
  put(0, uint64_t(st.st_dev), 8);
  put(8, uint64_t(st.st_ino), 8);
  p[16] = uint8_t(os::filetype_of(st.st_mode));
  put(l.nlink, uint64_t(st.st_nlink), l.nlink_size);
  put(l.size, uint64_t(st.st_size), 8);
  put(l.atim, os::to_ns(st.st_atim), 8);
  put(l.mtim, os::to_ns(st.st_mtim), 8);
  put(l.ctim, os::to_ns(st.st_ctim), 8);
  return Errno::success;
}

}  // namespace tern::wasi
