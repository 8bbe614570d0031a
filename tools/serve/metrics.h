// What /.well-known/tern/metrics reports, in the Prometheus text format (version 0.0.4).
// Every method is thread-safe.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace tern::serve {

// A cumulative histogram over fixed bucket bounds, in seconds.
class Histogram {
 public:
  static constexpr std::array<double, 14> kBounds = {0.00001, 0.00005, 0.0001, 0.00025, 0.0005,
                                                     0.001,   0.0025,  0.005,  0.01,    0.025,
                                                     0.05,    0.1,     1,      10};
  void observe(double seconds);
  // The _bucket, _sum and _count lines of metric `name`.
  std::string render(const std::string& name) const;

 private:
  mutable std::mutex mutex_;
  std::array<uint64_t, kBounds.size()> counts_{};  // per bucket, not cumulative
  uint64_t count_ = 0;
  double sum_ = 0;
};

class Metrics {
 public:
  void request_done(int status, double seconds);
  void instantiated(double seconds) { instantiation_.observe(seconds); }
  void instance_started() { ++instances_live_; }
  void instance_ended() { --instances_live_; }
  void trapped() { ++traps_; }
  void timed_out() { ++timeouts_; }
  void connection_opened() { ++connections_open_; }
  void connection_closed() { --connections_open_; }
  void connection_rejected() { ++connections_rejected_; }
  std::string render() const;

 private:
  mutable std::mutex mutex_;
  std::map<int, uint64_t> by_status_;
  Histogram latency_, instantiation_;
  std::atomic<int64_t> instances_live_{0};
  std::atomic<uint64_t> traps_{0}, timeouts_{0};
  std::atomic<int64_t> connections_open_{0};
  std::atomic<uint64_t> connections_rejected_{0};
};

}  // namespace tern::serve
