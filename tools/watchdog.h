// `tern run --timeout`: a thread that interrupts a store's running code once a duration has
// passed, unless it is cancelled (destroyed) first.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "tern/tern.h"

namespace tern::cli {

class Watchdog {
 public:
  Watchdog(Store& store, std::chrono::nanoseconds timeout);
  ~Watchdog();  // cancels it if it has not fired
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;

  // Whether the timeout elapsed and the store was interrupted.
  bool fired();

 private:
  std::mutex mutex_;
  std::condition_variable cancel_;
  bool cancelled_ = false;
  bool fired_ = false;
  std::thread thread_;
};

}  // namespace tern::cli
