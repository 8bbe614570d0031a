// The seam between the runtime and the tiers that run code (the interpreter, the JIT). The
// runtime knows tiers only through this interface; the top of the library graph
// (engine/tiers.cpp) knows which ones the build has and picks one per module.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>

#include "tern/error.h"
#include "tern/tern.h"

namespace tern::rt {

struct CompiledModule;
struct FuncInstance;
struct Store;

// One tier's compiled code for one module (the interpreter's lowered functions, the JIT's
// native code); each tier derives its own.
class TierCode {
 public:
  virtual ~TierCode() = default;
};

// What a tier reports each reference it holds to, when the store's GC heap is collected
// (engine/runtime/gc_collector.h). `ref` is a reference slot's bits, of any hierarchy: the
// collector keeps what points into the heap and ignores the rest.
class RootVisitor {
 public:
  virtual void visit(uint64_t ref) = 0;

 protected:
  ~RootVisitor() = default;
};

// Per-store state a tier keeps between calls (the interpreter's value and frame stacks).
class TierState {
 public:
  virtual ~TierState() = default;
  // Whether every frame the tier has is at a point trace_roots can describe; a collection
  // waits otherwise (an embedder's Store::gc from a ResourceLimiter, in mid-instruction).
  virtual bool at_safepoint() const { return true; }
  // Reports every reference its suspended and running frames hold.
  virtual void trace_roots(RootVisitor& visitor) { (void)visitor; }
};

class TierImpl {
 public:
  virtual ~TierImpl() = default;
  virtual Tier kind() const = 0;

  // Validates and compiles every defined function of `module`, whose type ids are set.
  virtual Result<std::shared_ptr<const TierCode>> compile(const CompiledModule& module,
                                                          const Config& config) const = 0;

  // Called for each function instance of a module this tier compiled, when it is created: a
  // tier may cache what its hot paths need in the instance (the interpreter: its code pointer).
  virtual void bind(FuncInstance& func) const = 0;

  // Calls wasm function `func` of a module this tier compiled, from the host or from another
  // tier. Its arguments are in `slots` (the layout of engine/runtime/slots.h), its results go
  // there too; the area has room for whichever is larger. A trap comes back with a backtrace of
  // the wasm frames it unwound (innermost first). Traps are this tier's business: how it
  // notices them (checks, a fault handler) is not part of the interface.
  virtual std::optional<Trap> call(Store& store, FuncInstance* func, uint8_t* slots) const = 0;
};

}  // namespace tern::rt
