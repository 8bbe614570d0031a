// Exception objects (exception handling): a tag and its payload, thrown by Wasm or the host.
#include <cstring>

#include "engine/runtime/alloc.h"
#include "engine/runtime/api_access.h"
#include "engine/runtime/slots.h"
#include "engine/runtime/value_match.h"

namespace tern::rt {

ExnInstance* alloc_exn(Store& store, TagInstance* tag, const uint8_t* slots) {
  ExnInstance& e = store.exns.emplace_back();
  e.tag = tag;
  size_t bytes = payload_bytes(*tag->type);
  e.payload.resize(bytes / kSlotBytes);
  if (bytes) std::memcpy(e.payload.data(), slots, bytes);
  return &e;
}

Trap exception_trap(ExnInstance* exn) {
  Trap t;
  t.code = TrapCode::Exception;
  t.message = "uncaught exception: " + exn->tag->name;
  t.exception = exn;
  return t;
}

}  // namespace tern::rt

namespace tern {

Result<Exn> Exn::create(Store& store, const Tag& tag, std::span<const Value> payload) {
  if (!tag) return Error::invalid("null tag");
  rt::TagInstance* t = detail::Access::tag(tag);
  const std::vector<ValType>& params = t->type->params;
  if (payload.size() != params.size()) return Error::invalid("exception payload arity mismatch");
  std::vector<uint64_t> slots;
  for (size_t i = 0; i < payload.size(); ++i) {
    if (!rt::value_matches(detail::Access::store(store), payload[i], params[i]))
      return Error::invalid("exception payload type mismatch");
    size_t at = slots.size();
    slots.resize(at + rt::slot_bytes(params[i]) / rt::kSlotBytes);
    rt::write_slot(slots.data() + at, payload[i]);
  }
  return Exn(rt::alloc_exn(detail::Access::store(store), t,
                           reinterpret_cast<const uint8_t*>(slots.data())));
}

std::optional<Exn> Exn::from_error(const Error& error) {
  if (error.kind != ErrorKind::Exception || !error.trap || !error.trap->exception) {
    return std::nullopt;
  }
  return Exn(error.trap->exception);
}

std::optional<Exn> Exn::from_value(const Value& value) {
  if (value.type() != ValType::ExnRef || value.is_null()) return std::nullopt;
  return Exn(static_cast<rt::ExnInstance*>(value.ref()));
}

Tag Exn::tag() const {
  return detail::Access::wrap(e_->tag);
}

std::vector<Value> Exn::payload() const {
  std::vector<Value> out;
  const uint64_t* at = e_->payload.data();
  for (ValType t : e_->tag->type->params) {
    out.push_back(rt::read_slot(t, at));
    at += rt::slot_bytes(t) / rt::kSlotBytes;
  }
  return out;
}

Error Exn::to_error() const {
  return Error::from_trap(rt::exception_trap(e_));
}

Value Exn::to_value() const {
  return Value::ref(ValType::ExnRef, e_);
}

}  // namespace tern
