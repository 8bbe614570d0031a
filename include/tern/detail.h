// Names the public headers share but embedders do not use: the engine's object types, reached
// only through the engine's own access struct (defined in an internal header).
#pragma once

namespace tern {

namespace rt {
struct Store;
struct Instance;
struct FuncInstance;
struct MemoryInstance;
struct TableInstance;
struct GlobalInstance;
struct TagInstance;
struct ExnInstance;
struct CompiledModule;
class TypeRegistry;
}  // namespace rt

namespace detail {
struct Access;  // the engine's way into the API objects' internals
}  // namespace detail

}  // namespace tern
