#include "tools/watchdog.h"

namespace tern::cli {

Watchdog::Watchdog(Store& store, std::chrono::nanoseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  thread_ = std::thread([this, &store, deadline] {
    std::unique_lock lock(mutex_);
    if (cancel_.wait_until(lock, deadline, [this] { return cancelled_; })) return;
    fired_ = true;
    store.interrupt();
  });
}

Watchdog::~Watchdog() {
  {
    std::lock_guard lock(mutex_);
    cancelled_ = true;
  }
  cancel_.notify_one();
  thread_.join();
}

bool Watchdog::fired() {
  std::lock_guard lock(mutex_);
  return fired_;
}

}  // namespace tern::cli
