// Tables: a vector of references that grows as far as its maximum, the store's limits and its
// ResourceLimiter allow.
#include <algorithm>

#include "engine/runtime/alloc.h"
#include "engine/runtime/api_access.h"
#include "engine/runtime/gc_collector.h"
#include "engine/runtime/value_match.h"

namespace tern::rt {

namespace {

constexpr uint64_t kMaxTableIndex = 0xFFFFFFFF;  // 2.0 table sizes are u32

uint64_t elem_limit(const Store& store, const TableType& type) {
  return std::min(
      {type.limits.max.value_or(kMaxTableIndex), store.limits.table_elements, kMaxTableIndex});
}

// Whether a table of `type` may go from `current` to `desired` elements in `store`.
bool may_reach(Store& store, const TableType& type, uint64_t current, uint64_t desired) {
  if (desired > elem_limit(store, type)) return false;
  return !store.limiter || store.limiter->table_growing(current, desired, type.limits.max);
}

}  // namespace

int64_t TableInstance::grow(uint64_t delta, Ref init) {
  const uint64_t old_size = elems.size();
  if (delta > kMaxTableIndex || !may_reach(*store, type, old_size, old_size + delta)) return -1;
  // Called from wasm on either tier, where nothing may throw: a table the heap cannot hold
  // fails to grow, as the spec allows.
  try {
    elems.resize(old_size + delta, init);
  } catch (const std::bad_alloc&) {
    return -1;
  } catch (const std::length_error&) {
    return -1;
  }
  type.limits.min = elems.size();
  return int64_t(old_size);
}

Result<void> check_table_limits(const Store& store, const TableType& type) {
  if (type.limits.min > elem_limit(store, type)) {
    return limit_error("table of " + std::to_string(type.limits.min) +
                       " elements exceeds the limit of " + std::to_string(elem_limit(store, type)) +
                       " elements");
  }
  return {};
}

Result<TableInstance*> alloc_table(Store& store, const TableType& type, Ref init) {
  TERN_TRY(check_table_limits(store, type));
  if (!may_reach(store, type, 0, type.limits.min)) {
    return limit_error("the store's resource limiter refused a table of " +
                       std::to_string(type.limits.min) + " elements");
  }
  // Filled before the store holds it, so a minimum the heap cannot hold leaves no table behind.
  std::vector<Ref> elems;
  TERN_TRY(guard_allocation("a table of " + std::to_string(type.limits.min) + " elements", [&] {
    elems.assign(type.limits.min, init);
    return Result<void>();
  }));
  TableInstance& t = store.tables.emplace_back();
  t.type = type;
  t.store = &store;
  t.elems = std::move(elems);
  return &t;
}

}  // namespace tern::rt

namespace tern {

using detail::Access;

Result<Table> Table::create(Store& store, TableType type, Ref init) {
  if (!is_ref(type.elem)) return Error::invalid("table element type must be a reference type");
  const Limits& l = type.limits;
  if (l.max && l.min > *l.max)
    return Error::invalid("size minimum must not be greater than maximum");
  auto t = rt::alloc_table(Access::store(store), type, init);
  if (!t) return t.take_error();
  return Table(*t);
}

uint64_t Table::size() const {
  return t_->elems.size();
}
TableType Table::type() const {
  return t_->type;
}

std::optional<Value> Table::get(uint64_t index) const {
  if (index >= t_->elems.size()) return std::nullopt;
  rt::root_for_host(*t_->store, uint64_t(uintptr_t(t_->elems[index])));
  return Value::ref(rt::api_type(*t_->store, t_->type.elem), t_->elems[index]);
}

bool Table::set(uint64_t index, const Value& v) const {
  if (index >= t_->elems.size() || !rt::value_matches(*t_->store, v, t_->type.elem)) return false;
  t_->elems[index] = v.ref();
  return true;
}

Result<uint64_t> Table::grow(uint64_t delta, Ref init) const {
  int64_t old = t_->grow(delta, init);
  if (old < 0) {
    return rt::limit_error("cannot grow table of " + std::to_string(size()) + " elements by " +
                           std::to_string(delta) + ": the limit is " +
                           std::to_string(rt::elem_limit(*t_->store, t_->type)) +
                           " elements, and the store's resource limiter must agree");
  }
  return uint64_t(old);
}

}  // namespace tern
