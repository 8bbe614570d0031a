#include "spec-tests/file_runner.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>

namespace tern::spec {

namespace {

// What a script run reports, in order: the command count, then for each command a start and
// an end. In a child process these travel through a pipe as records.
class Sink {
 public:
  virtual ~Sink() = default;
  virtual void script_error(const std::string& why) = 0;
  virtual void count(uint32_t commands) = 0;
  virtual void declare(uint32_t index, uint8_t kind, uint32_t line) = 0;
  virtual void begin(uint32_t index, const std::string& what) = 0;
  virtual void end(uint32_t index, const Outcome& outcome) = 0;
};

constexpr unsigned kParseTimeoutFactor = 10;

void execute(const std::string& path, const FileOptions& options,
             const std::set<uint32_t>& left_out, Sink& sink) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    sink.script_error("cannot read " + path + ": " + std::strerror(errno));
    return;
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string source = buffer.str();
  // Reading a big script (f32.wast is 2,500 commands) takes longer than any one command.
  if (options.isolate) alarm(options.command_timeout_s * kParseTimeoutFactor);
  auto script = text::parse_wast(source);
  if (!script) {
    sink.script_error("the script does not parse: " + script.error().to_string());
    return;
  }
  const auto& commands = script->commands;
  sink.count(uint32_t(commands.size()));
  for (uint32_t i = 0; i < commands.size(); ++i) {
    sink.declare(i, uint8_t(commands[i].kind), commands[i].line);
  }
  ScriptRunner runner(options.run);
  for (uint32_t i = 0; i < commands.size(); ++i) {
    if (left_out.count(i)) {
      runner.forget(commands[i], "the module at line " + std::to_string(commands[i].line) +
                                     " crashed the runner");
      continue;
    }
    sink.begin(i, describe(commands[i]));
    if (options.isolate) alarm(options.command_timeout_s);
    sink.end(i, runner.run(commands[i]));
  }
  if (options.isolate) alarm(0);
}

class ResultSink : public Sink {
 public:
  explicit ResultSink(FileResult& result) : result_(result) {}
  void script_error(const std::string& why) override {
    result_.outcomes.assign(1, Outcome{kScriptKind, 0, Status::Failed, why});
  }
  void count(uint32_t n) override {
    if (result_.outcomes.size() != n) result_.outcomes.assign(n, Outcome{});
  }
  void declare(uint32_t index, uint8_t kind, uint32_t line) override {
    if (index >= result_.outcomes.size()) return;
    result_.outcomes[index].kind = kind;
    result_.outcomes[index].line = line;
  }
  void begin(uint32_t index, const std::string& what) override {
    started_ = index;
    started_what_ = what;
  }
  void end(uint32_t index, const Outcome& outcome) override {
    if (index < result_.outcomes.size()) result_.outcomes[index] = outcome;
    started_ = -1;
    last_ended_ = index;
  }
  // The command that started and never ended, if any.
  int64_t unfinished() const { return started_; }
  const std::string& unfinished_what() const { return started_what_; }
  // Where the commands not run yet start.
  size_t next() const { return size_t(last_ended_ + 1); }
  bool counted() const { return !result_.outcomes.empty(); }

 private:
  FileResult& result_;
  int64_t started_ = -1;
  std::string started_what_;
  int64_t last_ended_ = -1;
};

// Records on the pipe: a tag byte, four u32 fields, then `length` bytes of text.
enum Tag : uint8_t { kScriptError, kCount, kDeclare, kBegin, kEnd };
struct RecordHeader {
  uint8_t tag;
  uint8_t kind;
  uint8_t status;
  uint8_t pad = 0;
  uint32_t index;
  uint32_t line;
  uint32_t length;
};

bool write_all(int fd, const void* data, size_t size) {
  auto p = static_cast<const char*>(data);
  while (size > 0) {
    ssize_t n = write(fd, p, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    p += n;
    size -= size_t(n);
  }
  return true;
}

bool read_all(int fd, void* data, size_t size) {
  auto p = static_cast<char*>(data);
  while (size > 0) {
    ssize_t n = read(fd, p, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    p += n;
    size -= size_t(n);
  }
  return true;
}

class PipeSink : public Sink {
 public:
  explicit PipeSink(int fd) : fd_(fd) {}
  void script_error(const std::string& why) override { send(kScriptError, 0, 0, 0, 0, why); }
  void count(uint32_t n) override { send(kCount, 0, 0, n, 0, ""); }
  void declare(uint32_t index, uint8_t kind, uint32_t line) override {
    send(kDeclare, kind, 0, index, line, "");
  }
  void begin(uint32_t index, const std::string& what) override {
    send(kBegin, 0, 0, index, 0, what);
  }
  void end(uint32_t index, const Outcome& o) override {
    send(kEnd, o.kind, uint8_t(o.status), index, o.line, o.detail);
  }

 private:
  void send(Tag tag, uint8_t kind, uint8_t status, uint32_t index, uint32_t line,
            const std::string& text) {
    RecordHeader h{tag, kind, status, 0, index, line, uint32_t(text.size())};
    if (!write_all(fd_, &h, sizeof h) || !write_all(fd_, text.data(), text.size())) _exit(3);
  }
  int fd_;
};

void receive(int fd, ResultSink& sink) {
  RecordHeader h;
  while (read_all(fd, &h, sizeof h)) {
    std::string text(h.length, '\0');
    if (h.length > 0 && !read_all(fd, text.data(), text.size())) return;
    switch (h.tag) {
      case kScriptError:
        sink.script_error(text);
        break;
      case kCount:
        sink.count(h.index);
        break;
      case kDeclare:
        sink.declare(h.index, h.kind, h.line);
        break;
      case kBegin:
        sink.begin(h.index, text);
        break;
      case kEnd:
        sink.end(h.index,
                 Outcome{h.kind, h.line,
                         h.status <= uint8_t(Status::Skipped) ? Status(h.status) : Status::Failed,
                         std::move(text)});
        break;
      default:
        return;
    }
  }
}

// How a child ended, or empty for a normal exit.
std::string abnormal_end(int wait_status) {
  if (WIFSIGNALED(wait_status)) {
    int sig = WTERMSIG(wait_status);
    if (sig == SIGALRM) return "timed out (see --timeout)";
    return std::string("crashed with signal ") + std::to_string(sig) + " (" + strsignal(sig) + ")";
  }
  if (WIFEXITED(wait_status) && WEXITSTATUS(wait_status) != 0) {
    return "the runner's child exited with status " + std::to_string(WEXITSTATUS(wait_status));
  }
  return "";
}

// One child run; returns how it ended ("" when normally).
std::string run_child(const std::string& path, const FileOptions& options,
                      const std::set<uint32_t>& left_out, ResultSink& sink) {
  int fds[2];
  if (pipe(fds) != 0) return std::string("pipe failed: ") + std::strerror(errno);
  std::fflush(stdout);
  std::fflush(stderr);
  pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return std::string("fork failed: ") + std::strerror(errno);
  }
  if (pid == 0) {
    close(fds[0]);
    PipeSink pipe_sink(fds[1]);
    execute(path, options, left_out, pipe_sink);
    std::fflush(stdout);
    _exit(0);
  }
  close(fds[1]);
  receive(fds[0], sink);
  close(fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return abnormal_end(status);
}

void skip_from(FileResult& result, size_t first, const std::string& why) {
  for (size_t i = first; i < result.outcomes.size(); ++i) {
    result.outcomes[i].status = Status::Skipped;
    result.outcomes[i].detail = why;
  }
}

FileResult run_isolated(const std::string& path, const std::string& name,
                        const FileOptions& options) {
  FileResult result{name, {}};
  std::set<uint32_t> left_out;
  for (;;) {
    ResultSink sink(result);
    std::string ended = run_child(path, options, left_out, sink);
    if (ended.empty()) return result;
    if (!sink.counted()) {
      result.outcomes.assign(
          1, Outcome{kScriptKind, 0, Status::Failed, "reading the script " + ended});
      return result;
    }
    int64_t culprit = sink.unfinished();
    if (culprit < 0) {
      // Ended between commands (after the last one: tearing the store down). Nothing to
      // blame but the script itself; what did not run is reported as not run.
      if (sink.next() >= result.outcomes.size()) {
        result.outcomes.push_back(
            Outcome{kScriptKind, 0, Status::Failed, "after the last command the runner " + ended});
      } else {
        skip_from(result, sink.next(), "not run: the runner " + ended);
      }
      return result;
    }
    Outcome& o = result.outcomes[size_t(culprit)];
    o.status = Status::Failed;
    o.detail = sink.unfinished_what() + ": the runner " + ended + " running this command";
    left_out.insert(uint32_t(culprit));
    if (left_out.size() >= options.max_crashes) {
      skip_from(
          result, size_t(culprit) + 1,
          "not run: the script crashed the runner " + std::to_string(left_out.size()) + " times");
      return result;
    }
  }
}

}  // namespace

FileResult run_file(const std::string& path, const std::string& name, const FileOptions& options) {
  if (options.isolate) return run_isolated(path, name, options);
  FileResult result{name, {}};
  ResultSink sink(result);
  execute(path, options, {}, sink);
  return result;
}

}  // namespace tern::spec
