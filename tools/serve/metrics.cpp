#include "tools/serve/metrics.h"

#include <fmt/format.h>

namespace tern::serve {

void Histogram::observe(double seconds) {
  std::lock_guard lock(mutex_);
  for (size_t i = 0; i < kBounds.size(); ++i) {
    if (seconds <= kBounds[i]) {
      ++counts_[i];
      break;
    }
  }
  ++count_;
  sum_ += seconds;
}

std::string Histogram::render(const std::string& name) const {
  std::lock_guard lock(mutex_);
  std::string text;
  uint64_t cumulative = 0;
  for (size_t i = 0; i < kBounds.size(); ++i) {
    cumulative += counts_[i];
    text += fmt::format("{}_bucket{{le=\"{}\"}} {}\n", name, kBounds[i], cumulative);
  }
  text += fmt::format("{}_bucket{{le=\"+Inf\"}} {}\n", name, count_);
  text += fmt::format("{}_sum {}\n{}_count {}\n", name, sum_, name, count_);
  return text;
}

void Metrics::request_done(int status, double seconds) {
  {
    std::lock_guard lock(mutex_);
    ++by_status_[status];
  }
  latency_.observe(seconds);
}

std::string Metrics::render() const {
  std::string text =
      "# HELP tern_requests_total HTTP requests answered, by status.\n"
      "# TYPE tern_requests_total counter\n";
  {
    std::lock_guard lock(mutex_);
    for (const auto& [status, n] : by_status_)
      text += fmt::format("tern_requests_total{{status=\"{}\"}} {}\n", status, n);
  }
  text +=
      "# HELP tern_request_duration_seconds Time from the request read to the response made.\n"
      "# TYPE tern_request_duration_seconds histogram\n";
  text += latency_.render("tern_request_duration_seconds");
  text +=
      "# HELP tern_instantiation_duration_seconds Time to instantiate a module for a request.\n"
      "# TYPE tern_instantiation_duration_seconds histogram\n";
  text += instantiation_.render("tern_instantiation_duration_seconds");
  text += fmt::format(
      "# HELP tern_instances_live Instances existing now.\n"
      "# TYPE tern_instances_live gauge\n"
      "tern_instances_live {}\n"
      "# HELP tern_traps_total Requests whose instance trapped (timeouts not included).\n"
      "# TYPE tern_traps_total counter\n"
      "tern_traps_total {}\n"
      "# HELP tern_timeouts_total Requests that ran past --timeout.\n"
      "# TYPE tern_timeouts_total counter\n"
      "tern_timeouts_total {}\n"
      "# HELP tern_connections_open HTTP connections open now.\n"
      "# TYPE tern_connections_open gauge\n"
      "tern_connections_open {}\n"
      "# HELP tern_connections_rejected_total Connections answered 503: --max-connections open.\n"
      "# TYPE tern_connections_rejected_total counter\n"
      "tern_connections_rejected_total {}\n",
      instances_live_.load(), traps_.load(), timeouts_.load(), connections_open_.load(),
      connections_rejected_.load());
  return text;
}

}  // namespace tern::serve
