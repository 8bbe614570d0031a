#include "harness.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace tern::wasi::testing {

namespace {

// An anonymous in-memory file standing in for a stdio stream.
struct MemFile {
  int fd;
  MemFile() : fd(memfd_create("wasi-stdio", MFD_CLOEXEC)) {
    if (fd < 0) throw std::runtime_error("memfd_create failed");
  }
  ~MemFile() { close(fd); }
  std::string contents() const {
    std::string s;
    char buf[4096];
    ssize_t n;
    off_t off = 0;
    while ((n = pread(fd, buf, sizeof buf, off)) > 0) {
      s.append(buf, size_t(n));
      off += n;
    }
    return s;
  }
};

}  // namespace

ScratchDir::ScratchDir() {
  char tmpl[] = "/tmp/tern-wasi-XXXXXX";
  if (!mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

ScratchDir::~ScratchDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string program_path(const std::string& name) {
  std::string p = std::string(TERN_BINARY_DIR) + "/wasi-programs/" + name + ".wasm";
  return access(p.c_str(), R_OK) == 0 ? p : "";
}

RunResult run_program(const std::string& wasm_path, const RunOptions& options) {
  RunResult r;
  MemFile in, out, err;
  if (write(in.fd, options.stdin_text.data(), options.stdin_text.size()) !=
      ssize_t(options.stdin_text.size()))
    throw std::runtime_error("stdin setup failed");
  lseek(in.fd, 0, SEEK_SET);

  Engine engine;
  auto module = Module::from_file(engine, wasm_path);
  if (!module) {
    r.error = module.error().to_string();
    return r;
  }
  Store store(engine);
  Linker linker;
  Config config;
  config.args = options.args;
  config.env = options.env;
  if (!options.sandbox.empty()) config.preopens.push_back({options.sandbox, "/sandbox"});
  config.stdin_fd = in.fd;
  config.stdout_fd = out.fd;
  config.stderr_fd = err.fd;
  config.listen_fds = options.listen_fds;
  auto ctx = add_to_linker(linker, config);
  if (!ctx) {
    r.error = ctx.error().to_string();
    return r;
  }
  auto instance = linker.instantiate(store, *module);
  if (!instance) {
    r.error = instance.error().to_string();
    return r;
  }
  auto start = instance->get_func("_start");
  if (!start) {
    r.error = "no _start export";
    return r;
  }
  r.ran = true;
  auto result = start->call(store, {});
  if (result.ok()) {
    r.exit_code = 0;
  } else if (result.error().trap && result.error().trap->code == TrapCode::Exit) {
    r.exit_code = result.error().trap->exit_code;
  } else {
    r.error = result.error().to_string();
  }
  r.out = out.contents();
  r.err = err.contents();
  return r;
}

void write_host_file(const std::string& path, const std::string& text) {
  std::ofstream f(path, std::ios::binary);
  f << text;
}

std::string read_host_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

}  // namespace tern::wasi::testing
