// What compiled code runs against: the per-entry context, helper functions called from
// compiled code, compiled modules and their trap-site tables, and the entry from the host.
#pragma once

#include <atomic>
#include <csetjmp>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <type_traits>
#include <vector>

#include "engine/runtime/objects.h"
#include "engine/runtime/tier.h"
#include "jit/common/handler_table.h"
#include "tern/error.h"
#include "tern/value.h"

namespace tern::jit {

// Where an activation of compiled code last called out to the runtime (a helper): its innermost
// frame's frame pointer and the call's return address. The garbage collector walks the
// activation's frames from there (frame_roots.h). An activation nested inside a helper (a call
// into another module's code with the same context) keeps the outer one's on the C stack.
struct ExitFrame {
  uintptr_t fp = 0;  // 0: the activation has not called out yet
  uintptr_t pc = 0;
  const ExitFrame* outer = nullptr;  // the suspended activations' exits, innermost first
};

// One per entry from the host (jit::call), on the host's C stack; compiled code keeps a pointer
// to it in a pinned register. Plain data at fixed offsets: compiled code reads the fields.
struct JitContext {
  uintptr_t stack_limit = 0;  // the lowest stack pointer a wasm frame may use
  // Wasm frames this thread's stack may still add (Config::max_call_depth at the outermost
  // entry): a prologue decrements it and traps when it was already 0.
  uint32_t depth_left = 0;
  uint32_t pending = 0;  // nonzero: a helper left a trap in `trap`
  const std::atomic<bool>* interrupt = nullptr;
  rt::Store* store = nullptr;
  JitContext* parent = nullptr;         // the enclosing entry on this thread, if any
  sigjmp_buf* unwind = nullptr;         // where a trap resumes the host
  std::optional<Trap>* trap = nullptr;  // a helper's trap, while `pending` is set
  // Written by compiled code before each helper call (MacroAssembler::call_helper).
  ExitFrame exit;
};
static_assert(std::is_standard_layout_v<JitContext>, "compiled code uses field offsets");

// Every value area a compiled function is entered with holds at least this many values (more
// when its parameters or results need them): compiled callers leave that many operand slots
// from the arguments on, and jit::call copies a smaller one. So a tail call with up to this many
// arguments always fits in the caller's value area and replaces its frame.
constexpr uint32_t kMinValueArea = 8;

// Runtime helper called from compiled code: `values` is the operand area the call reads its
// operands from (and writes multi-value results to); `imm` the instruction's immediates.
using Helper = uint64_t (*)(JitContext* ctx, rt::Instance* inst, uint64_t* values, uint64_t imm);

// Where a point of compiled code came from: its offset in its CodeBlock and the module byte
// offset of the wasm instruction it belongs to (kUnknownWasmOffset: none known).
struct WasmOffset {
  uint32_t native_offset = 0;
  uint32_t wasm_offset = 0;
};
constexpr uint32_t kUnknownWasmOffset = UINT32_MAX;

// One block of executable memory: the entry trampoline (with the lazy stubs when compiling
// lazily), every function of an eagerly compiled module, or one lazily compiled function.
struct CodeBlock {
  const uint8_t* code = nullptr;  // executable view
  size_t size = 0;
  void* release_token = nullptr;  // what the code allocator needs to free it
  void (*release)(void* token) = nullptr;
  uint32_t first_func = 0;                   // defined index of the block's first function
  std::vector<uint32_t> func_offsets;        // start of each function from first_func, ascending
  std::vector<uint32_t> fault_sites;         // offsets of memory accesses that may fault, sorted
  std::vector<HandlerTable> handler_tables;  // of the functions with try blocks, by func
  // Where the code holds absolute addresses (code_address.h), in the order emitted.
  std::vector<uint32_t> address_sites;
  // Which of them hold a cell of the module's type ids: the index of each one's first part.
  // Told apart by the emitter, not by value: a heap address may fall in any range.
  std::vector<uint32_t> type_id_sites;
  // The GC references of a frame at each call that may collect, ascending by return address
  // (offset in the block): where they are, as offsets from the frame pointer, in
  // safepoint_slots[first, first + count). A call that is not listed holds none.
  struct Safepoint {
    uint32_t return_offset = 0;
    uint32_t first = 0, count = 0;
  };
  std::vector<Safepoint> safepoints;
  std::vector<int32_t> safepoint_slots;
  // For backtraces, ascending by native offset: the start of each call (a return address
  // belongs to the call marked last before it), each fault site, each trap stub, and each call
  // return address that raises a trap a helper left pending.
  std::vector<WasmOffset> wasm_offsets;

  bool contains(uintptr_t pc) const { return pc >= uintptr_t(code) && pc < uintptr_t(code) + size; }
  // The defined function whose code holds `pc` (inside the block), if any.
  std::optional<uint32_t> defined_func_at(uintptr_t pc) const;
  // The wasm instruction whose code holds `pc` (inside the block): the one marked last at or
  // before it. A caller's frame asks for its return address minus one.
  std::optional<uint32_t> wasm_offset_at(uintptr_t pc) const;
  // The exception handlers of defined function `defined`, if it has any.
  const HandlerTable* handlers_of(uint32_t defined) const;
  // The frame-pointer offsets of the GC references a frame holds at return address `pc`.
  std::span<const int32_t> gc_slots_at(uintptr_t pc) const;
};

// Where the exception unwinder continues a wasm frame: its frame and stack pointers, the
// landing pad, and the pinned registers.
struct ResumePoint {
  uintptr_t fp = 0, sp = 0, pc = 0;
  JitContext* ctx = nullptr;
  rt::Instance* inst = nullptr;
  uint8_t* memory_base = nullptr;
  rt::GlobalInstance* const* globals = nullptr;
};

// The native code of one module.
class JitModule final : public rt::TierCode {
 public:
  explicit JitModule(uint32_t num_defined_funcs);
  ~JitModule();
  JitModule(const JitModule&) = delete;
  JitModule& operator=(const JitModule&) = delete;

  // Entry trampoline: runs `fn` with the pinned registers set up.
  using Entry = void (*)(const void* fn, uint64_t* values, JitContext* ctx, rt::Instance* inst,
                         uint8_t* memory_base, rt::GlobalInstance* const* globals);
  Entry entry = nullptr;
  // Routines beside the trampoline for the exception unwinder: `resume` continues a frame at a
  // landing pad; `leave_activation` makes the entry trampoline whose frame pointer it is given
  // return to its caller (the exception stays pending). Neither returns.
  void (*resume)(const ResumePoint* at) = nullptr;
  void (*leave_activation)(uintptr_t trampoline_fp) = nullptr;
  uint32_t num_imported_funcs = 0;
  const uint32_t num_defined_funcs;
  // Per defined function, where its code starts: compiled code calls through this table (a
  // lazily compiled function's entry leads to its stub until its first call compiles it).
  std::unique_ptr<std::atomic<const void*>[]> entries;
  // Fuel block costs, read by address from the code; appended to while compiling.
  mutable std::deque<uint64_t> fuel_cells;
  // The same for a module compiled in parallel: one per chunk, as each thread appends to its own.
  std::vector<std::deque<uint64_t>> chunk_fuel_cells;
  // What compiling a function on its first call needs (module_compiler.cpp); null when the
  // module was compiled eagerly.
  std::shared_ptr<struct LazySource> lazy;
  // Compiled with Config::consume_fuel: the code reads fuel_cells by address.
  bool meters_fuel = false;

  const void* code_of(uint32_t defined_index) const {
    return entries[defined_index].load(std::memory_order_acquire);
  }
  // Adds a block of code and makes it known to the fault handler. Blocks are added while
  // the module is in use (lazy compilation), hence const; the registry's lock guards them.
  void add_block(CodeBlock block) const;
  // The block holding `pc`, if any. Call with the registry's lock held (see runtime.cpp).
  const CodeBlock* block_at(uintptr_t pc) const;
  size_t num_blocks() const;
  // Block `i` in the order added; for a module no longer compiling (not lazily compiled).
  const CodeBlock& block(size_t i) const { return blocks_[i]; }

 private:
  mutable std::deque<CodeBlock> blocks_;
};

// The innermost context of this thread's entries into compiled code, if any.
const JitContext* innermost_context();

// The module whose code holds `pc`, and its block; call with the registry's lock held.
const JitModule* code_at(uintptr_t pc, const CodeBlock** block);
std::unique_lock<std::mutex> lock_code_registry();

// Makes `module` known to the fault handler (and installs the handler once).
void register_code(const JitModule* module);
void unregister_code(const JitModule* module);

// The compiled form of a runtime module, or null if it was not compiled for the JIT.
const JitModule* jit_module_of(const rt::CompiledModule& module);

// Calls wasm function `func` of a JIT-compiled module from the host or another tier, with its
// arguments in `values` (one per 8 bytes, the runtime's slot layout) and its results written
// there; the area has room for whichever is more.
std::optional<Trap> call(rt::Store& store, rt::FuncInstance* func, uint64_t* values);

// Calls `func` from compiled code (or the entry) with its arguments in `values`; 0 when it
// returned, nonzero when a trap is pending in `ctx`. `caller`: the calling instance, if any.
uint64_t call_function(JitContext* ctx, rt::FuncInstance* func, uint64_t* values,
                       rt::Instance* caller);

// Leaves `trap` pending in `ctx` for the code to raise; returns nonzero.
uint64_t set_trap(JitContext* ctx, Trap trap);

// Raises a trap from compiled code: `code`, or the pending one if `code` is empty. `pc`, `fp`
// and `inst` describe the innermost wasm frame (for the backtrace, and where a pending Wasm
// exception starts its search for a handler: exceptions.h). Does not return.
[[noreturn]] void raise_trap(JitContext* ctx, uint32_t code_or_pending, uintptr_t pc, uintptr_t fp,
                             rt::Instance* inst);
constexpr uint32_t kPendingTrap = 0xFFFFFFFF;

}  // namespace tern::jit
