// The connection threads of `tern serve`: a cpp-httplib task queue that starts a thread when a
// connection finds none idle, up to a maximum, and keeps it for later connections. cpp-httplib's
// ThreadPool starts all of its threads at once, which for --max-connections (512 by default)
// threads would cost start-up time and resident memory before the first request.
#pragma once

#include <httplib.h>

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace tern::serve {

class GrowingThreadPool final : public httplib::TaskQueue {
 public:
  explicit GrowingThreadPool(size_t max_threads) : max_threads_(max_threads) {}
  ~GrowingThreadPool() override { shutdown(); }

  void enqueue(std::function<void()> job) override;
  // Runs the jobs queued already, then joins every thread.
  void shutdown() override;

 private:
  void work();

  const size_t max_threads_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> jobs_;
  std::vector<std::thread> threads_;
  size_t idle_ = 0;
  bool stopping_ = false;
};

}  // namespace tern::serve
