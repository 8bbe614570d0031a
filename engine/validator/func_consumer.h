// The interface between the function validator and whatever turns validated code into
// something runnable (the interpreter's lowering, the JIT). The validator reads each
// instruction once, type-checks it, and only then hands it to the consumer, so a consumer never
// sees ill-typed code and needs no checks of its own.
#pragma once

#include <optional>
#include <span>

#include "engine/decoder/instr.h"
#include "tern/error.h"

namespace tern {

struct ModuleInfo;

// Stands for an operand whose type is unconstrained: it only appears in unreachable code.
constexpr ValType kUnknownType = ValType(0);

class FuncConsumer {
 public:
  virtual ~FuncConsumer() = default;

  // Before the first instruction. `locals` lists every local, parameters first.
  virtual void begin(const ModuleInfo& module, uint32_t func_index, const FuncType& type,
                     std::span<const ValType> locals) = 0;

  // After `in` has been type-checked. `popped` are the operand types it consumed (bottom of the
  // stack first), `pushed` the types it produced. `unreachable` is true when the instruction
  // follows an unconditional branch in its block (the operand stack is polymorphic there):
  // popped (and select's pushed) may then hold kUnknownType, but only where the instruction
  // does not fix the type (drop, select, ref.is_null); elsewhere it holds the expected type. The
  // spans are valid only during the call. block/loop/if/else/end always arrive, reachable or
  // not, so a consumer can skip dead code and still track nesting. The final `end` of the body
  // arrives like any other.
  //
  // popped/pushed for the control instructions:
  //   block/loop: popped = pushed = block params.  if: popped = params + i32, pushed = params.
  //   else: popped = the if's results, pushed = the else arm's params.
  //   end: popped = the block's results, pushed = the block's results.
  //   br/br_table/return: popped = the target's label types (+ i32 index for br_table).
  //   br_if: popped = label types + i32, pushed = label types.
  virtual void instr(const Instr& in, std::span<const ValType> popped,
                     std::span<const ValType> pushed, bool unreachable) = 0;

  // After the final `end`. A consumer reports its own failure (e.g. a function too large for
  // its code format) by returning an Error.
  virtual std::optional<Error> finish() = 0;
};

}  // namespace tern
