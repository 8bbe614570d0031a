// The runtime's objects as every tier sees them. Plain structs on purpose: the interpreter and
// the JIT read these fields directly on hot paths. A Store owns every object created in it; the
// objects refer to one another by raw pointer and live as long as their store.
#pragma once

#include <any>
#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/module_info.h"
#include "engine/runtime/gc_heap.h"
#include "engine/runtime/gc_type.h"
#include "engine/runtime/interruptible_wait.h"
#include "engine/runtime/memory_image.h"
#include "engine/runtime/tier.h"
#include "tern/tern.h"

namespace tern::interp {
struct FuncCode;  // lowered code of one function (engine/interp), opaque here
}  // namespace tern::interp

namespace tern::rt {

// Equal function types get the same id, engine-wide, so call_indirect's type check is one
// integer compare. Equality is iso-recursive (engine/type_canon.h): a module's recursion group
// is interned as a whole and its members get consecutive ids. The stored types hold canonical
// ids in place of type indices (canonical_type), as every runtime object does.
class TypeRegistry {
 public:
  // A host function's or tag's type: a final function type alone in its group.
  uint32_t intern(const FuncType& type);
  // The canonical id of each of the module's types.
  std::vector<uint32_t> intern_module(const ModuleInfo& module);
  const FuncType& type(uint32_t id) const;  // the reference stays valid for the engine's life
  // The id's GC view (kind, declared supertype, layout); valid for the engine's life.
  const GcType& gc_type(uint32_t id) const;
  // Whether the type `sub` is `super` or declares it as a (transitive) supertype.
  bool is_subtype(uint32_t sub, uint32_t super) const {
    return sub == super || gc_type(sub).is_subtype_of(&gc_type(super));
  }

 private:
  // The id of the first member of the group [start, start + size) of `module_types`, whose
  // references outside the group are ids[index].
  uint32_t intern_group(std::span<const FuncType> module_types, std::span<const TypeDef> defs,
                        uint32_t start, uint32_t size, std::span<const uint32_t> ids);

  mutable std::mutex mutex_;
  std::deque<FuncType> types_;
  std::deque<GcType> gc_types_;                    // by id, as types_
  std::unordered_map<std::string, uint32_t> ids_;  // key: rec_group_key of the group
};

// A module ready to instantiate: decoded, validated, compiled by one tier. Immutable and
// shareable.
struct CompiledModule {
  const Engine* engine = nullptr;  // type ids are only meaningful in this engine's registry
  ModuleInfo info;
  std::vector<uint32_t> type_ids;                          // canonical id of each type index
  std::vector<const GcType*> gc_types;                     // the GcType of each type index
  std::unordered_map<std::string, uint32_t> export_index;  // name → index in info.exports
  const TierImpl* tier = nullptr;        // the tier that compiled it and runs its functions
  std::shared_ptr<const TierCode> code;  // that tier's code for it
  MemoryImages images;                   // its memories' initial contents, built when first used
};

// What only a host function has, kept apart so that a module's functions stay small (a store
// holds one FuncInstance per function of every instance).
struct HostFunc {
  FuncType type;          // the function's own type (FuncInstance::type points here)
  HostEntry entry;        // its unboxed entry, if it has one
  HostCallback callback;  // its boxed callback, used without an entry
};

struct FuncInstance {
  const FuncType* type = nullptr;
  uint32_t type_id = 0;
  uint32_t func_index = 0;       // index in the defining module
  Instance* instance = nullptr;  // defining instance; null for host functions
  // The interpreter's code, cached here by its TierImpl::bind so that its call path reads it
  // in one load; null for host functions and functions of another tier's module.
  const interp::FuncCode* code = nullptr;
  std::unique_ptr<HostFunc> host;  // set for host functions only
  bool is_host() const { return instance == nullptr; }
};
// A store holds one per function of every instance: docs/limits.md counts on this size.
static_assert(sizeof(void*) != 8 || sizeof(FuncInstance) == 40);

// A linear memory. The whole 32-bit range plus a guard region is reserved up front and only
// the accessible part is mapped read-write, so `base` never moves when the memory grows.
struct MemoryInstance {
  uint8_t* base = nullptr;
  uint64_t size_bytes = 0;
  MemoryType type;         // limits.min tracks the current size in pages
  Store* store = nullptr;  // whose limits and limiter every grow asks
  size_t reserved_bytes = 0;
  size_t image_bytes = 0;  // the prefix mapped from a MemoryImage (memory_image.h), if any
  ~MemoryInstance();
  uint64_t pages() const { return size_bytes / kPageSize; }
  // Old size in pages, or -1 if the memory cannot grow by `delta` pages: past its maximum, the
  // store's limit, or what the store's ResourceLimiter allows. Wasm's memory.grow on every
  // tier and Memory::grow all come here.
  int64_t grow(uint64_t delta);
  // Makes `delta` more pages accessible, with no limit checked; false if the OS refuses.
  bool commit(uint64_t delta);
};

struct TableInstance {
  TableType type;  // limits.min tracks the current size
  std::vector<Ref> elems;
  Store* store = nullptr;  // whose limits and limiter every grow asks
  // Old size, or -1 if the table cannot grow by `delta`: past its maximum, the store's limit,
  // or what the store's ResourceLimiter allows. Wasm's table.grow on every tier and Table::grow
  // all come here.
  int64_t grow(uint64_t delta, Ref init);
};

// 16 bytes: any value, v128 included, in the slot layout of engine/runtime/slots.h.
union Cell {
  uint32_t i32;
  uint64_t i64;
  float f32;
  double f64;
  Ref ref;
  V128 v128;
};

struct GlobalInstance {
  GlobalType type;
  Cell value{};
  Store* store = nullptr;  // whose collector roots what Global::get hands out
};

// A tag (exception handling): exceptions are caught by tag identity, so this object is the
// identity and `type` what its exceptions carry (no results).
struct TagInstance {
  const FuncType* type = nullptr;  // interned in the engine's TypeRegistry
  uint32_t type_id = 0;            // its canonical id there, which import matching compares
  std::string name;                // for messages: "tag 0", or the name it was exported as
};

// An exception object: its tag and its payload in the slot layout (slots.h). What an exnref
// points at. Kept by the store until it dies: exnrefs may be anywhere (locals, globals, tables,
// the embedder), and the collector does not trace them; so every payload is a root.
struct ExnInstance {
  TagInstance* tag = nullptr;
  std::vector<uint64_t> payload;  // slot_bytes(t) / 8 words per parameter of the tag's type
};

struct Instance {
  std::shared_ptr<const CompiledModule> module;
  Store* store = nullptr;
  std::vector<FuncInstance*> funcs;
  std::vector<TableInstance*> tables;
  std::vector<MemoryInstance*> memories;
  std::vector<GlobalInstance*> globals;
  std::vector<TagInstance*> tags;
  std::vector<std::vector<Ref>> elem_segments;          // emptied by elem.drop
  std::vector<std::span<const uint8_t>> data_segments;  // emptied by data.drop
  const ModuleInfo& info() const { return module->info; }
};

struct Store {
  Engine* engine = nullptr;
  tern::Store* api = nullptr;  // the embedding-API object owning this store (for Caller)
  std::deque<FuncInstance> funcs;
  std::deque<MemoryInstance> memories;
  std::deque<TableInstance> tables;
  std::deque<GlobalInstance> globals;
  std::deque<TagInstance> tags;
  std::deque<ExnInstance> exns;
  GcHeap heap;  // struct and array objects (engine/runtime/gc_heap.h)
  // The collector's roots beyond the store's own objects (engine/runtime/gc_collector.h):
  // references handed to the embedder, popped back to its mark when a RootScope ends
  std::vector<uint64_t> host_roots;
  // the argument slots of each running host function
  struct ArgRoots {
    const uint8_t* slots;
    const FuncType* type;
  };
  std::vector<ArgRoots> arg_roots;
  // While above 0, allocation never collects: JIT frames, which have no stack maps, are live,
  // or an instance's constant expressions hold values the roots do not see.
  uint32_t gc_blocked = 0;
  GcStats gc_stats;
  std::deque<Instance> instances;
  // Each tier's per-store state (indexed by Tier), created by the tier when it first runs.
  std::unique_ptr<TierState> tier_states[2];

  std::optional<uint64_t> fuel;  // unmetered when empty
  std::atomic<bool> interrupt_requested{false};
  InterruptWaker interrupt_waker;  // ends host waits (interruptible_wait.h) on an interrupt
  StoreLimits limits;
  std::shared_ptr<ResourceLimiter> limiter;  // null: none
  std::any data;                             // the embedder's (Store::set_data)

  // Host functions a Linker defined, instantiated once per store so that a definition keeps
  // one identity (ref.func equality, table contents) across instantiations. The key keeps the
  // definition's identity token alive, so its address is never reused while the store lives.
  std::unordered_map<std::shared_ptr<const void>, FuncInstance*> linker_host_funcs;

  const Config& config() const { return engine->config(); }
};

}  // namespace tern::rt
