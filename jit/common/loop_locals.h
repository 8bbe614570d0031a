// Which locals a loop uses, found by reading ahead over its bytes when the single pass reaches
// its head: the head then takes the busiest of them in registers, so that loop-carried locals
// cross the back edge without a store and a reload (V8's Liftoff reads ahead the same way to
// find what a loop assigns).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "engine/module_info.h"

namespace tern::jit {

struct LoopLocalUse {
  uint32_t local = 0;
  // local.get, local.set and local.tee in the loop before its first call (after which no
  // register survives anyway); those of a nested loop count kNestedWeight times.
  uint32_t weight = 0;
  bool assigned = false;  // set or teed anywhere in the loop
};

struct LoopLocals {
  uint32_t offset = 0;  // of the loop instruction in the module
  std::vector<LoopLocalUse> uses;
  // The scan stopped inside the loop (past kMaxScanBytes, or at malformed bytes, which
  // validation will report): `uses` is incomplete, and any local may be assigned.
  bool complete = false;
};

inline constexpr uint32_t kNestedWeight = 4;
// A scan stops this many bytes past its loop's head: reading ahead costs compile time, and a
// loop longer than this spends little of its time on its back edge. Its nested loops that the
// scan did not finish are scanned when the compiler reaches them; an unfinished loop's head
// keeps the locals that were in registers as it was entered.
inline constexpr size_t kMaxScanBytes = 1024;
// The distinct locals a loop's scan records at most, the first it meets: more than a head has
// registers for, and a bound on the work of summing its uses.
inline constexpr size_t kMaxLoopLocals = 64;

// Scans the loop whose instruction is at `offset` (within function body `body` of `module`)
// and every loop nested in it, in one pass over its bytes; one entry per loop, in the order
// their heads appear.
std::vector<LoopLocals> scan_loop_locals(const ModuleInfo& module, const FuncBody& body,
                                         uint32_t offset);

}  // namespace tern::jit
