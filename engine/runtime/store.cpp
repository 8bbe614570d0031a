// The store: owner of every runtime object, plus fuel, interruption, limits and embedder data.
#include "engine/runtime/api_access.h"
#include "engine/runtime/gc_collector.h"
#include "engine/runtime/objects.h"

namespace tern {

Store::Store(Engine& engine) : impl_(std::make_unique<rt::Store>()) {
  impl_->engine = &engine;
  impl_->api = this;
}

Store::~Store() = default;

Engine& Store::engine() {
  return *impl_->engine;
}

void Store::set_fuel(uint64_t fuel) {
  impl_->fuel = fuel;
}

std::optional<uint64_t> Store::fuel() const {
  return impl_->fuel;
}

void Store::interrupt() {
  // Sequentially consistent, then the wake-up: a host wait starting now cannot miss both.
  impl_->interrupt_requested.store(true);
  impl_->interrupt_waker.notify();
}

void Store::set_limits(const StoreLimits& limits) {
  impl_->limits = limits;
}

const StoreLimits& Store::limits() const {
  return impl_->limits;
}

void Store::set_limiter(std::shared_ptr<ResourceLimiter> limiter) {
  impl_->limiter = std::move(limiter);
}

void Store::gc() {
  rt::collect(*impl_);
}

GcStats Store::gc_stats() const {
  GcStats s = impl_->gc_stats;
  s.heap_bytes = impl_->heap.bytes();
  s.live_bytes = impl_->heap.live_bytes();
  s.freed_bytes = impl_->heap.freed_bytes();
  return s;
}

void Store::set_gc_stress(bool collect_at_every_allocation) {
  impl_->heap.set_stress(collect_at_every_allocation);
}

RootScope::RootScope(Store& store)
    : store_(store), mark_(detail::Access::store(store).host_roots.size()) {}

RootScope::~RootScope() {
  std::vector<uint64_t>& roots = detail::Access::store(store_).host_roots;
  if (roots.size() > mark_) roots.resize(mark_);
}

void Store::set_data(std::any data) {
  impl_->data = std::move(data);
}

std::any& Store::data() {
  return impl_->data;
}

}  // namespace tern
