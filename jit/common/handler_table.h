// Exception handlers of compiled code: per function, the native ranges of its try and
// try_table bodies with their catch clauses, resolved to offsets in the function's CodeBlock
// once it is finalized. The unwinder (exceptions.cpp) looks a frame's pc up in them.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace tern::rt {
struct Instance;
struct ExnInstance;
}  // namespace tern::rt

namespace tern::jit {

struct CatchClause {
  static constexpr uint32_t kAnyTag = 0xFFFFFFFF;  // catch_all, catch_all_ref
  uint32_t tag = kAnyTag;                          // the module's tag index
  uint32_t pad = 0;                                // landing pad: offset in the block
};

// A try or try_table body: [begin, end) in the block. `parent` is the handler the exception
// goes on to when no clause matches (the enclosing one, or a delegate's target), -1 for none.
struct TryRegion {
  uint32_t begin = 0, end = 0;
  int32_t parent = -1;
  std::vector<CatchClause> clauses;
};

struct HandlerTable {
  uint32_t func = 0;         // the function's position in its block (from CodeBlock::first_func)
  uint32_t frame_bytes = 0;  // frame pointer minus stack pointer inside the body
  // In the order the regions open: a nested one comes after the regions around it.
  std::vector<TryRegion> regions;

  // The landing pad (offset in the block) for an exception thrown at `pc_offset`, the return
  // address of the call or throw it came out of, in an activation of `inst`.
  std::optional<uint32_t> find(uint32_t pc_offset, const rt::ExnInstance& exn,
                               const rt::Instance& inst) const;
};

}  // namespace tern::jit
