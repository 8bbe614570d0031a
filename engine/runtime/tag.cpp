// Tags (exception handling): identities of kinds of exceptions, with their payload types.
#include "engine/runtime/alloc.h"
#include "engine/runtime/api_access.h"

namespace tern::rt {

TagInstance* alloc_tag(Store& store, uint32_t type_id, std::string name) {
  TagInstance& t = store.tags.emplace_back();
  t.type = &detail::Access::types(*store.engine).type(type_id);
  t.type_id = type_id;
  t.name = std::move(name);
  return &t;
}

}  // namespace tern::rt

namespace tern {

Result<Tag> Tag::create(Store& store, FuncType type) {
  if (!type.results.empty()) return Error::invalid("non-empty tag result type");
  rt::Store& s = detail::Access::store(store);
  return Tag(rt::alloc_tag(s, detail::Access::types(*s.engine).intern(type), "host tag"));
}

const FuncType& Tag::type() const {
  return *t_->type;
}

}  // namespace tern
