// Random WASI calls from a guest: the input drives a sequence of calls to every preview1 function
// with wild pointers, lengths, descriptors, flags and paths, against a scratch preopen, with stdio
// that blocks (a stdin nobody writes, a stderr nobody reads) and a listening socket nobody
// connects to, under a short deadline. Invariants: no crash, nothing outside the preopen
// changes, every call returns an errno or traps with proc_exit's or the deadline's trap, and
// the deadline ends every blocking call.
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "engine/text/wast.h"
#include "fuzz/targets/targets.h"
#include "tern/wasi.h"
#include "tools/watchdog.h"

namespace fs = std::filesystem;

namespace {

// Long enough for a burst of non-blocking calls, short enough for many inputs per second.
constexpr auto kDeadline = std::chrono::milliseconds(20);
constexpr size_t kMaxCalls = 64;
// Written by the guest at most: fd_allocate and fd_pwrite at wild offsets would fill the disk.
constexpr rlim_t kMaxFileBytes = 16 << 20;

void must(bool ok, const char* what) {
  if (!ok) tern_fuzz_fail(what);
}

// One WASI function: its name and parameter types ('i' i32, 'I' i64), from functions.def.
struct WasiFunc {
  const char* name;
  std::string params;
  bool returns_errno;
};

// "uint32_t fd, int64_t offset" → "iI".
std::string param_kinds(std::string_view declaration) {
  std::string kinds;
  while (!declaration.empty()) {
    size_t comma = declaration.find(',');
    std::string_view param = declaration.substr(0, comma);
    kinds += param.find("int64_t") != std::string_view::npos ? 'I' : 'i';
    if (comma == std::string_view::npos) break;
    declaration.remove_prefix(comma + 1);
  }
  return kinds;
}

const std::vector<WasiFunc>& wasi_funcs() {
  static const std::vector<WasiFunc> funcs = [] {
    std::vector<WasiFunc> out;
#define WASI_FUNC(name, in_unstable, ...) out.push_back({#name, param_kinds(#__VA_ARGS__), true});
#define WASI_NORETURN(name, in_unstable, ...) \
  out.push_back({#name, param_kinds(#__VA_ARGS__), false});
#include "wasi/functions.def"
    return out;
  }();
  return funcs;
}

// Paths the calls may name, stored in guest memory: inside, climbing, absolute, through links.
constexpr const char* kPaths[] = {
    "file",     "dir",        "dir/inner", "dir/sub",     ".",
    "..",       "../outside", "link_out",  "link_up",     "link_in/inner",
    "fifo",     "new",        "dir/new",   "/etc/passwd", "dir/../../outside",
    "link_abs", "empty/",     "file/",     "sock"};
constexpr uint32_t kPathsAt = 32768;       // the strings, each followed by a NUL
constexpr uint32_t kFreeFormBytes = 1024;  // room for the input's own bytes, at address 0

std::string module_text() {
  std::string imports, exports;
  for (const WasiFunc& f : wasi_funcs()) {
    std::string params, forward;
    for (size_t p = 0; p < f.params.size(); ++p) {
      params += f.params[p] == 'I' ? " i64" : " i32";
      forward += " (local.get " + std::to_string(p) + ")";
    }
    std::string result = f.returns_errno ? " (result i32)" : "";
    std::string type = "(param" + params + ")" + result;
    imports += "(import \"wasi_snapshot_preview1\" \"" + std::string(f.name) + "\" (func $" +
               f.name + " " + type + "))\n";
    exports += "(func (export \"" + std::string(f.name) + "\") " + type + " (call $" + f.name +
               forward + "))\n";
  }
  std::string data;
  uint32_t at = kPathsAt;
  for (const char* p : kPaths) {
    data += "(data (i32.const " + std::to_string(at) + ") \"" + p + "\")\n";
    at += uint32_t(std::strlen(p)) + 1;
  }
  return "(module\n" + imports + "(memory (export \"memory\") 2)\n" + data + exports + ")";
}

tern::Module compile_guest(tern::Engine& engine) {
  auto binary = tern::text::wat_to_binary(module_text());
  must(binary.ok(), "wasi_calls: the guest module does not read");
  auto module = tern::Module::compile(engine, *binary);
  must(module.ok(), "wasi_calls: the guest module does not compile");
  return *module;
}

// The process-wide fixture: the compiled guest, a scratch directory and the blocking stdio.
//   <base>/outside, <base>/root/ (the preopen, rebuilt for every input)
struct Fixture {
  tern::Engine engine;
  tern::Module module = compile_guest(engine);
  std::string base, root;
  int stdin_read = -1, stdin_write = -1;    // nobody writes: reads wait
  int stderr_read = -1, stderr_write = -1;  // read only between inputs: writes may wait
  int devnull = -1;

  Fixture() {
    // Wild offsets must fail with EFBIG, not kill the process or fill the disk.
    signal(SIGXFSZ, SIG_IGN);
    signal(SIGPIPE, SIG_IGN);
    struct rlimit fsize = {kMaxFileBytes, kMaxFileBytes};
    must(setrlimit(RLIMIT_FSIZE, &fsize) == 0, "setrlimit");
    char tmpl[] = "/tmp/tern-fuzz-wasi-calls-XXXXXX";
    must(mkdtemp(tmpl) != nullptr, "mkdtemp");
    base = tmpl;
    root = base + "/root";
    int outside = open((base + "/outside").c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
    must(outside >= 0 && write(outside, "outside", 7) == 7, "create outside");
    close(outside);
    int in[2], err[2];
    must(pipe2(in, O_CLOEXEC) == 0 && pipe2(err, O_CLOEXEC) == 0, "pipe");
    stdin_read = in[0], stdin_write = in[1];
    stderr_read = err[0], stderr_write = err[1];
    devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
    must(devnull >= 0 && fcntl(stderr_read, F_SETFL, O_NONBLOCK) == 0, "fixture descriptors");
  }
};

Fixture& fixture() {
  static Fixture* f = [] {
    auto* made = new Fixture;  // never destroyed: libFuzzer may exit from any thread
    std::atexit([] {
      std::error_code ignored;
      fs::remove_all(fixture().base, ignored);
    });
    return made;
  }();
  return *f;
}

// A listening socket on a free loopback port, which nobody connects to: sock_accept waits.
// One per input, since the guest may shut it down.
int make_listener() {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  struct sockaddr_in addr = {};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  must(fd >= 0 && bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
           listen(fd, 4) == 0,
       "listening socket");
  return fd;
}

// The same starting state for every input: a fresh tree, an empty stderr pipe, and stdio
// blocking again (fd_fdstat_set_flags reaches the shared file descriptions).
void reset(const Fixture& f) {
  char drain[4096];
  while (read(f.stderr_read, drain, sizeof drain) > 0) {
  }
  must(fcntl(f.stdin_read, F_SETFL, 0) == 0 && fcntl(f.stderr_write, F_SETFL, 0) == 0,
       "blocking stdio");
  std::error_code ec;
  fs::remove_all(f.root, ec);
  must(!ec, "remove the previous root");
  const std::string& r = f.root;
  must(mkdir(r.c_str(), 0755) == 0 && mkdir((r + "/dir").c_str(), 0755) == 0 &&
           mkdir((r + "/dir/sub").c_str(), 0755) == 0 && mkdir((r + "/empty").c_str(), 0755) == 0,
       "mkdir scratch");
  for (const char* file : {"/file", "/dir/inner"}) {
    int fd = open((r + file).c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
    must(fd >= 0 && write(fd, "contents", 8) == 8, "create scratch file");
    close(fd);
  }
  must(mkfifo((r + "/fifo").c_str(), 0644) == 0, "mkfifo");
  const std::pair<const char*, const char*> links[] = {
      {"../outside", "/link_out"}, {"..", "/link_up"}, {"dir", "/link_in"}, {"/tmp", "/link_abs"}};
  for (const auto& [target, name] : links) {
    must(symlink(target, (r + name).c_str()) == 0, "symlink");
  }
}

// Nothing outside the preopen may change: the base holds exactly `outside` (unchanged) and root.
void check_outside(const Fixture& f) {
  size_t entries = 0;
  for (const auto& e : fs::directory_iterator(f.base)) {
    ++entries;
    std::string name = e.path().filename();
    if (name != "outside" && name != "root") tern_fuzz_fail("wasi_calls: a file appeared outside");
  }
  if (entries != 2) tern_fuzz_fail("wasi_calls: the base directory lost an entry");
  char buf[16] = {};
  int fd = open((f.base + "/outside").c_str(), O_RDONLY | O_CLOEXEC);
  ssize_t n = fd >= 0 ? read(fd, buf, sizeof buf) : -1;
  if (fd >= 0) close(fd);
  if (n != 7 || std::memcmp(buf, "outside", 7) != 0) {
    tern_fuzz_fail("wasi_calls: the file outside the preopen changed");
  }
  struct stat st;
  if (lstat((f.root + "/../outside").c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
    tern_fuzz_fail("wasi_calls: the file outside the preopen was replaced");
  }
}

// Reads the input: bytes, then zeros once it is used up.
class InputReader {
 public:
  InputReader(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  bool done() const { return at_ >= size_; }
  uint8_t byte() { return at_ < size_ ? data_[at_++] : 0; }
  uint64_t bytes(int n) {
    uint64_t v = 0;
    for (int i = 0; i < n; ++i) v |= uint64_t(byte()) << (8 * i);
    return v;
  }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t at_ = 0;
};

// One argument: a small number, a descriptor, a path (pointer, and its length for the next
// argument that asks), an address near the memory's end or past it, all ones, or wild bits.
class ArgumentChooser {
 public:
  ArgumentChooser(InputReader& in, uint64_t memory_bytes) : in_(in), memory_bytes_(memory_bytes) {}
  uint64_t next(bool wide) {
    switch (in_.byte() % 10) {
      case 0:
        return in_.byte();
      case 1:
        return in_.byte() % 12;  // stdio, the preopen, the listener, what the calls opened
      case 2: {
        uint32_t at = kPathsAt;
        size_t pick = in_.byte() % std::size(kPaths);
        for (size_t i = 0; i < pick; ++i) at += uint32_t(std::strlen(kPaths[i])) + 1;
        last_length_ = uint32_t(std::strlen(kPaths[pick]));
        return at;
      }
      case 3:
        return last_length_;
      case 4:
        return memory_bytes_ - in_.byte();
      case 5:
        return wide ? UINT64_MAX - in_.byte() : UINT32_MAX - in_.byte();
      case 6:
        return in_.bytes(2) % kFreeFormBytes;  // into the input's own bytes: iovecs, structs
      case 7:
        return uint64_t(1) << (in_.byte() % (wide ? 64 : 32));  // one flag or right
      case 8:
        return in_.bytes(wide ? 8 : 4);
      default:
        return 0;
    }
  }

 private:
  InputReader& in_;
  uint64_t memory_bytes_;
  uint32_t last_length_ = 0;
};

}  // namespace

int tern_fuzz_wasi_calls(const uint8_t* data, size_t size) {
  Fixture& f = fixture();
  reset(f);
  const int listener = make_listener();
  {
    tern::Store store(f.engine);
    tern::Linker linker;
    tern::wasi::Config config;
    config.args = {"guest"};
    config.preopens = {{f.root, "/"}};
    config.stdin_fd = f.stdin_read;
    config.stdout_fd = f.devnull;
    config.stderr_fd = f.stderr_write;
    config.listen_fds = {listener};
    must(tern::wasi::add_to_linker(linker, config).ok(), "wasi_calls: add_to_linker");
    auto instance = linker.instantiate(store, f.module);
    must(instance.ok(), "wasi_calls: instantiate");
    auto memory = instance->get_memory("memory");
    must(memory.has_value(), "wasi_calls: no memory");
    // The input: a byte saying how many of the next bytes (16 per unit) are copied to address
    // 0, where the pointers reach them (iovecs, subscriptions, strings), then the calls.
    const size_t image = size == 0 ? 0 : std::min<size_t>(data[0] % 64 * 16, size - 1);
    if (image) std::memcpy(memory->data(), data + 1, image);
    const size_t header = std::min<size_t>(size, 1) + image;
    InputReader in(data + header, size - header);
    ArgumentChooser choose(in, memory->size_bytes());
    const auto& funcs = wasi_funcs();

    const auto start = std::chrono::steady_clock::now();
    tern::cli::Watchdog watchdog(store, kDeadline);
    for (size_t n = 0; n < kMaxCalls && !in.done(); ++n) {
      const WasiFunc& fn = funcs[in.byte() % funcs.size()];
      std::vector<tern::Value> args;
      for (char kind : fn.params) {
        uint64_t v = choose.next(kind == 'I');
        args.push_back(kind == 'I' ? tern::Value::i64(int64_t(v)) : tern::Value::i32(int32_t(v)));
      }
      auto r = instance->get_func(fn.name)->call(store, args);
      if (r.ok()) continue;
      const auto& trap = r.error().trap;
      if (!trap) tern_fuzz_fail("wasi_calls: a call failed without a trap");
      if (trap->code == tern::TrapCode::Interrupted && !watchdog.fired()) {
        tern_fuzz_fail("wasi_calls: interrupted before the deadline");
      }
      if (trap->code != tern::TrapCode::Interrupted && trap->code != tern::TrapCode::Exit) {
        std::fprintf(stderr, "%s: %s\n", fn.name, trap->message.c_str());
        tern_fuzz_fail("wasi_calls: a WASI call trapped");
      }
      break;  // the guest exited, or its deadline passed
    }
    // Generous: a wait that ignored the deadline would take seconds or forever.
    if (std::chrono::steady_clock::now() - start > kDeadline + std::chrono::seconds(5)) {
      tern_fuzz_fail("wasi_calls: the calls outlived their deadline");
    }
  }
  close(listener);
  check_outside(f);
  return 0;
}
