// The engine: configuration plus the engine-wide registry of canonical function types.
#include "engine/runtime/objects.h"

namespace tern {

namespace rt {

uint32_t TypeRegistry::intern(const FuncType& type) {
  // Value types are one byte each; a separator byte no value type uses splits params/results.
  std::string key;
  key.reserve(type.params.size() + type.results.size() + 1);
  for (ValType t : type.params) key.push_back(char(t));
  key.push_back('\0');
  for (ValType t : type.results) key.push_back(char(t));

  std::lock_guard lock(mutex_);
  auto [it, inserted] = ids_.try_emplace(std::move(key), uint32_t(types_.size()));
  if (inserted) types_.push_back(type);
  return it->second;
}

const FuncType& TypeRegistry::type(uint32_t id) const {
  std::lock_guard lock(mutex_);
  return types_.at(id);
}

}  // namespace rt

Engine::Engine(Config config)
    : config_(std::move(config)), types_(std::make_unique<rt::TypeRegistry>()) {}

Engine::~Engine() = default;

}  // namespace tern
