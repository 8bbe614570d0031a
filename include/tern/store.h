// The store: owner of every instance, function, memory, table and global created in it, with
// its fuel, resource limits and embedder data.
//
// Thread safety: a Store, and everything in it (instances, Func, Memory, Table, Global), is
// used by one thread at a time; different stores may run on different threads at once. The
// one exception is Store::interrupt(), which any thread may call at any time.
#pragma once

#include <tern/engine.h>
#include <tern/types.h>

#include <any>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>

// Exported from libtern.so (cmake/TernInstall.cmake): the library is built with hidden visibility.
#pragma GCC visibility push(default)
namespace tern {

// Caps on what one store may create. Exceeding one at creation is an ErrorKind::Limit error; at
// a grow (memory.grow, table.grow, Memory::grow, Table::grow) the grow fails. An allocation of
// Wasm GC (struct.new, array.new, ...) past gc_heap_bytes traps.
struct StoreLimits {
  uint64_t memory_pages = kMaxPages32;         // per linear memory
  uint64_t table_elements = 10000000;          // per table
  uint32_t instances = 100000;                 // instances in the store
  uint64_t gc_heap_bytes = uint64_t(1) << 30;  // the store's GC objects, headers included
};

// Asked before a memory or table is created or grown, after the type's maximum and the store's
// StoreLimits allowed it: returning false refuses (creation fails with ErrorKind::Limit, a grow
// returns -1 to wasm or an error to the embedder). `current` is 0 at creation; `maximum` is the
// type's maximum, if it has one. Sizes are in pages (memories) or elements (tables).
class ResourceLimiter {
 public:
  virtual ~ResourceLimiter() = default;
  virtual bool memory_growing(uint64_t current, uint64_t desired,
                              std::optional<uint64_t> maximum) = 0;
  virtual bool table_growing(uint64_t current, uint64_t desired,
                             std::optional<uint64_t> maximum) = 0;
};

// What the store's GC heap (Wasm GC's structs and arrays) holds and has done.
struct GcStats {
  uint64_t collections = 0;   // completed collections
  uint64_t heap_bytes = 0;    // bytes of objects now in the heap, headers included
  uint64_t live_bytes = 0;    // bytes the last collection kept
  uint64_t freed_bytes = 0;   // bytes all collections have freed
  uint64_t max_pause_ns = 0;  // the longest collection
};

class Store {
 public:
  explicit Store(Engine& engine);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  Engine& engine();
  // Fuel: unmetered until set. Running out is a trap (TrapCode::OutOfFuel) after which more
  // fuel can be added and new calls made.
  void set_fuel(uint64_t fuel);
  std::optional<uint64_t> fuel() const;
  // Thread-safe: makes running wasm code in this store trap with TrapCode::Interrupted soon.
  void interrupt();

  // Limits apply to creations and grows from now on.
  void set_limits(const StoreLimits& limits);
  const StoreLimits& limits() const;
  // Consulted on every memory and table creation and grow in this store; null: none.
  void set_limiter(std::shared_ptr<ResourceLimiter> limiter);

  // Wasm GC. The store collects by itself when its heap grows (docs/gc.md); gc() collects now.
  // Objects the embedder holds are kept: see RootScope.
  void gc();
  GcStats gc_stats() const;
  // A testing aid: collect at every allocation, so that a missing root shows at once.
  void set_gc_stress(bool collect_at_every_allocation);

  // The embedder's own per-store state, e.g. for host functions (Caller::store().data()).
  void set_data(std::any data);
  std::any& data();
  // The data as a T; throws std::bad_any_cast when it holds something else.
  template <class T>
  T& data_as() {
    return std::any_cast<T&>(data());
  }

 private:
  friend struct detail::Access;
  std::unique_ptr<rt::Store> impl_;
};

// References to GC objects handed to the embedder (results of Func::call, Global::get,
// Table::get, exception payloads, a host function's arguments) are roots: the collector keeps
// their objects while they are held. Each such reference is held until the innermost RootScope
// that was open when it was handed out ends, or for the store's life when none was open. A host
// function's arguments are in a scope that ends when it returns, as in wasmtime; a reference
// used after its scope ended is dangling. Scopes nest and must end in reverse order.
class RootScope {
 public:
  explicit RootScope(Store& store);
  ~RootScope();
  RootScope(const RootScope&) = delete;
  RootScope& operator=(const RootScope&) = delete;

 private:
  Store& store_;
  size_t mark_;
};

}  // namespace tern

#pragma GCC visibility pop
