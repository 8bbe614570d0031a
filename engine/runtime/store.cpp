// The store: owner of every runtime object, plus fuel and interruption.
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
  impl_->interrupt_requested.store(true, std::memory_order_relaxed);
}

}  // namespace tern
