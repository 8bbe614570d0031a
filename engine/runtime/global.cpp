// Globals: a typed cell, mutable or not.
#include "engine/runtime/alloc.h"
#include "engine/runtime/api_access.h"
#include "engine/runtime/gc_collector.h"
#include "engine/runtime/slots.h"
#include "engine/runtime/value_match.h"

namespace tern::rt {

GlobalInstance* alloc_global(Store& store, const GlobalType& type, const Value& init) {
  GlobalInstance& g = store.globals.emplace_back();
  g.type = type;
  g.store = &store;
  write_slot(&g.value, init);
  return &g;
}

}  // namespace tern::rt

namespace tern {

Result<Global> Global::create(Store& store, GlobalType type, Value init) {
  if (!rt::value_matches(detail::Access::store(store), init, type.type))
    return Error::invalid("type mismatch");
  return Global(rt::alloc_global(detail::Access::store(store), type, init));
}

Value Global::get() const {
  rt::root_for_host(*g_->store, {&g_->type.type, 1}, reinterpret_cast<const uint8_t*>(&g_->value));
  return rt::read_slot(rt::api_type(*g_->store, g_->type.type), &g_->value);
}
GlobalType Global::type() const {
  return g_->type;
}

Result<void> Global::set(const Value& v) const {
  if (!g_->type.mut) return Error::invalid("global is immutable");
  if (!rt::value_matches(*g_->store, v, g_->type.type)) return Error::invalid("type mismatch");
  rt::write_slot(&g_->value, v);
  return {};
}

}  // namespace tern
