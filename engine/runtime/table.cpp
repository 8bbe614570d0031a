// Tables: a vector of references that grows up to the smaller of its maximum and the store's
// limit.
#include <algorithm>

#include "engine/runtime/alloc.h"

namespace tern::rt {

namespace {

constexpr uint64_t kMaxTableIndex = 0xFFFFFFFF;  // 2.0 table sizes are u32

uint64_t elem_limit(const Config& config, const TableType& type) {
  return std::min(
      {type.limits.max.value_or(kMaxTableIndex), config.max_table_elements, kMaxTableIndex});
}

}  // namespace

int64_t TableInstance::grow(uint64_t delta, Ref init) {
  const uint64_t old_size = elems.size();
  if (delta > max_elems - std::min(old_size, max_elems)) return -1;
  elems.resize(old_size + delta, init);
  type.limits.min = elems.size();
  return int64_t(old_size);
}

Result<void> check_table_limits(const Config& config, const TableType& type) {
  if (type.limits.min > elem_limit(config, type)) {
    return limit_error("table of " + std::to_string(type.limits.min) +
                       " elements exceeds the limit of " +
                       std::to_string(elem_limit(config, type)) + " elements");
  }
  return {};
}

Result<TableInstance*> alloc_table(Store& store, const TableType& type, Ref init) {
  TERN_TRY(check_table_limits(store.config(), type));
  TableInstance& t = store.tables.emplace_back();
  t.type = type;
  t.max_elems = elem_limit(store.config(), type);
  t.elems.assign(type.limits.min, init);
  return &t;
}

}  // namespace tern::rt

namespace tern {

Result<Table> Table::create(Store& store, TableType type, Ref init) {
  if (!is_ref(type.elem)) return Error::invalid("table element type must be a reference type");
  const Limits& l = type.limits;
  if (l.max && l.min > *l.max)
    return Error::invalid("size minimum must not be greater than maximum");
  auto t = rt::alloc_table(*store.raw(), type, init);
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
  return Value::ref(t_->type.elem, t_->elems[index]);
}

bool Table::set(uint64_t index, const Value& v) const {
  if (index >= t_->elems.size() || v.type() != t_->type.elem) return false;
  t_->elems[index] = v.ref();
  return true;
}

Result<uint64_t> Table::grow(uint64_t delta, Ref init) const {
  int64_t old = t_->grow(delta, init);
  if (old < 0) {
    return rt::limit_error("cannot grow table of " + std::to_string(size()) + " elements by " +
                           std::to_string(delta) + ": the maximum is " +
                           std::to_string(t_->max_elems));
  }
  return uint64_t(old);
}

}  // namespace tern
