#include "engine/runtime/gc_collector.h"

#include <chrono>

#include "engine/runtime/i31.h"
#include "engine/runtime/slots.h"

namespace tern::rt {

namespace {

// Calls f(bits) for each value among `types`, in consecutive slots, that may be a GC reference.
template <class F>
void for_each_gc_slot(std::span<const ValType> types, const uint8_t* slots, F&& f) {
  for (ValType t : types) {
    if (may_hold_gc_object(t)) {
      uint64_t bits;
      std::memcpy(&bits, slots, sizeof bits);
      f(bits);
    }
    slots += slot_bytes(t);
  }
}

// Marks what the roots reach: each reference found is marked and queued, then each queued
// object's reference fields are visited in turn.
class Marker final : public RootVisitor {
 public:
  explicit Marker(GcHeap& heap) : heap_(heap) {}

  void visit(uint64_t ref) override {
    if (ref == 0 || is_i31(ref)) return;
    void* p = reinterpret_cast<void*>(uintptr_t(ref));
    if (!heap_.contains(p)) return;  // a function, exception or host reference
    auto* o = static_cast<GcObject*>(p);
    if (GcHeap::mark(o)) work_.push_back(o);
  }

  void visit_slots(std::span<const ValType> types, const uint8_t* slots) {
    for_each_gc_slot(types, slots, [&](uint64_t ref) { visit(ref); });
  }

  void drain() {
    while (!work_.empty()) {
      GcObject* o = work_.back();
      work_.pop_back();
      if (o->is_host_box()) continue;  // its field is a host pointer
      const GcType& t = *o->type;
      if (o->is_struct()) {
        for (uint32_t off : t.ref_offsets) visit(read_u64(o->fields() + off));
      } else if (is_ref(t.fields[0].type) && may_hold_gc_object(t.fields[0].type)) {
        for (uint32_t i = 0; i < o->length; ++i) visit(read_u64(o->fields() + 8 * uint64_t(i)));
      }
    }
  }

 private:
  static uint64_t read_u64(const uint8_t* p) {
    uint64_t v;
    std::memcpy(&v, p, 8);
    return v;
  }

  GcHeap& heap_;
  std::vector<GcObject*> work_;
};

void mark_roots(Store& store, Marker& m) {
  for (const GlobalInstance& g : store.globals) {
    if (may_hold_gc_object(g.type.type)) m.visit(uint64_t(uintptr_t(g.value.ref)));
  }
  for (const TableInstance& t : store.tables) {
    if (!may_hold_gc_object(t.type.elem)) continue;
    for (Ref r : t.elems) m.visit(uint64_t(uintptr_t(r)));
  }
  for (const Instance& inst : store.instances) {
    const auto& elems = inst.info().elems;
    for (size_t i = 0; i < inst.elem_segments.size(); ++i) {
      if (i < elems.size() && !may_hold_gc_object(elems[i].type)) continue;
      for (Ref r : inst.elem_segments[i]) m.visit(uint64_t(uintptr_t(r)));
    }
  }
  for (const ExnInstance& e : store.exns) {
    m.visit_slots(e.tag->type->params, reinterpret_cast<const uint8_t*>(e.payload.data()));
  }
  for (uint64_t r : store.host_roots) m.visit(r);
  for (const Store::ArgRoots& a : store.arg_roots) m.visit_slots(a.type->params, a.slots);
  for (auto& state : store.tier_states) {
    if (state) state->trace_roots(m);
  }
}

}  // namespace

bool may_hold_gc_object(ValType t) {
  if (!is_ref(t)) return false;
  if (is_concrete(t)) return true;  // a struct or array type, or a function type: contains tells
  switch (heap_kind(t)) {
    case HeapKind::Any:
    case HeapKind::Eq:
    case HeapKind::Struct:
    case HeapKind::Array:
    case HeapKind::Extern:
      return true;
    default:
      return false;
  }
}

bool can_collect(const Store& store) {
  if (store.gc_blocked) return false;
  for (const auto& state : store.tier_states) {
    if (state && !state->at_safepoint()) return false;
  }
  return true;
}

void collect(Store& store) {
  if (!can_collect(store)) return;
  auto start = std::chrono::steady_clock::now();
  {
    Marker m(store.heap);
    mark_roots(store, m);
    m.drain();
  }
  store.heap.sweep(store.limits.gc_heap_bytes);
  uint64_t ns = uint64_t(
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start)
          .count());
  GcStats& s = store.gc_stats;  // the byte counts are the heap's (Store::gc_stats)
  ++s.collections;
  s.max_pause_ns = std::max(s.max_pause_ns, ns);
}

GcObject* gc_allocate(Store& store, uint64_t bytes) {
  GcHeap& heap = store.heap;
  const uint64_t limit = store.limits.gc_heap_bytes;
  bool collected = false;
  if (heap.wants_collection(bytes) && can_collect(store)) {
    collect(store);
    collected = true;
  }
  GcObject* o = heap.allocate(bytes, limit);
  if (!o && !collected && can_collect(store)) {
    collect(store);
    o = heap.allocate(bytes, limit);
  }
  return o;
}

void root_for_host(Store& store, uint64_t ref) {
  if (ref == 0 || is_i31(ref) || !store.heap.contains(reinterpret_cast<void*>(uintptr_t(ref)))) {
    return;
  }
  store.host_roots.push_back(ref);
}

void root_for_host(Store& store, std::span<const ValType> types, const uint8_t* slots) {
  for_each_gc_slot(types, slots, [&](uint64_t ref) { root_for_host(store, ref); });
}

}  // namespace tern::rt
