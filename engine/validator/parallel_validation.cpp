#include "engine/validator/parallel_validation.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <optional>
#include <system_error>
#include <thread>
#include <vector>

namespace tern {

namespace {

// Function bodies (bytes) below which one thread validates them all: starting a thread costs
// more than it would save.
constexpr uint64_t kParallelBodyBytes = uint64_t(1) << 20;
// A batch, the unit threads take, ends after this many body bytes or functions: small enough
// that two cores finish within a batch of each other, large enough that taking one is nothing.
constexpr uint64_t kBatchBytes = uint64_t(64) << 10;
constexpr uint32_t kBatchFuncs = 1024;

uint64_t body_bytes(const ModuleInfo& module) {
  uint64_t total = 0;
  for (const FuncBody& body : module.bodies) total += body.size;
  return total;
}

// The defined functions in batches of consecutive indices: batch b is [bounds[b], bounds[b+1]).
std::vector<uint32_t> batch_bounds(const ModuleInfo& module) {
  std::vector<uint32_t> bounds{0};
  uint64_t bytes = 0;
  const uint32_t n = uint32_t(module.bodies.size());
  for (uint32_t i = 0; i < n; ++i) {
    bytes += module.bodies[i].size;
    if (bytes >= kBatchBytes || i + 1 - bounds.back() >= kBatchFuncs) {
      bounds.push_back(i + 1);
      bytes = 0;
    }
  }
  if (bounds.back() != n) bounds.push_back(n);
  return bounds;
}

// Threads take the batches in order; one that finds an invalid function records it and stops,
// and the others stop at functions past the first failure seen so far. Every function before
// the first failing one is therefore validated by whoever took its batch, so the failure kept
// (the lowest index) is the one a validation in order would report.
class ParallelValidation {
 public:
  ParallelValidation(const ModuleInfo& module, const FuncConsumerFactory& make_consumer)
      : module_(module), make_consumer_(make_consumer), bounds_(batch_bounds(module)) {}

  void work() {
    try {
      for (size_t b; (b = next_batch_.fetch_add(1)) + 1 < bounds_.size();) {
        for (uint32_t i = bounds_[b]; i < bounds_[b + 1]; ++i) {
          if (i >= first_failed_.load(std::memory_order_relaxed)) return;
          std::unique_ptr<FuncConsumer> consumer = make_consumer_ ? make_consumer_(i) : nullptr;
          Result<void> r = validate_function(module_, i, consumer.get());
          if (!r) return fail(i, r.take_error());
        }
      }
    } catch (...) {
      std::lock_guard lock(mutex_);
      if (!exception_) exception_ = std::current_exception();
      first_failed_.store(0, std::memory_order_relaxed);
    }
  }

  // After every thread has finished.
  Result<void> result() {
    if (exception_) std::rethrow_exception(exception_);
    if (error_) return std::move(*error_);
    return {};
  }

 private:
  void fail(uint32_t index, Error error) {
    std::lock_guard lock(mutex_);
    if (index >= error_index_) return;
    error_index_ = index;
    error_ = std::move(error);
    first_failed_.store(std::min(index, first_failed_.load(std::memory_order_relaxed)),
                        std::memory_order_relaxed);
  }

  const ModuleInfo& module_;
  const FuncConsumerFactory& make_consumer_;
  const std::vector<uint32_t> bounds_;
  std::atomic<size_t> next_batch_{0};
  std::atomic<uint32_t> first_failed_{UINT32_MAX};
  std::mutex mutex_;  // guards the three below
  uint32_t error_index_ = UINT32_MAX;
  std::optional<Error> error_;
  std::exception_ptr exception_;
};

}  // namespace

uint32_t default_validation_threads(const ModuleInfo& module) {
  if (body_bytes(module) < kParallelBodyBytes) return 1;
  return std::max(1u, std::thread::hardware_concurrency());
}

Result<void> validate_functions(const ModuleInfo& module, uint32_t threads,
                                const FuncConsumerFactory& make_consumer) {
  if (threads == 0) threads = default_validation_threads(module);
  ParallelValidation validation(module, make_consumer);
  {
    std::vector<std::jthread> helpers;
    for (uint32_t t = 1; t < threads; ++t) {
      try {
        helpers.emplace_back([&] { validation.work(); });
      } catch (const std::system_error&) {  // no thread to be had: the others do its share
        break;
      }
    }
    validation.work();
  }  // joins the helpers
  return validation.result();
}

}  // namespace tern
