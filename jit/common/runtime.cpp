// Entering compiled code from the host, calls out of it, and turning traps (explicit ones and
// memory faults) into Trap values: a trap records the frames it passes (without allocating, as
// it may run in a signal handler) and jumps back to the entry with siglongjmp.
#include "jit/common/runtime.h"

#include <pthread.h>
#include <signal.h>

#include <algorithm>
#include <mutex>
#include <span>

#include "engine/runtime/host_call.h"
#include "engine/runtime/slots.h"
#include "engine/runtime/trap.h"
#include "jit/common/exceptions.h"
#include "jit/common/fault_context.h"
#include "jit/common/frame_roots.h"

namespace tern::jit {

namespace {

// What a trap records before unwinding; turned into a Trap back in the entry.
struct TrapRecord {
  static constexpr uint32_t kMaxFrames = 32;
  uint32_t code = 0;
  uint32_t num_frames = 0;
  uint32_t funcs[kMaxFrames];
  uint32_t wasm_offsets[kMaxFrames];  // kUnknownWasmOffset where none is known
  rt::Instance* instance = nullptr;
};

thread_local JitContext* t_current = nullptr;
thread_local TrapRecord t_record;

// Native stack that must stay free below the deepest wasm frame: room for helpers, host
// functions and the fault handler.
constexpr uintptr_t kStackReserve = uintptr_t(256) << 10;

uintptr_t thread_stack_limit() {
  thread_local uintptr_t limit = [] {
    pthread_attr_t attr;
    void* low = nullptr;
    size_t size = 0;
    if (pthread_getattr_np(pthread_self(), &attr) == 0) {
      pthread_attr_getstack(&attr, &low, &size);
      pthread_attr_destroy(&attr);
    }
    if (!low) {  // unknown: allow 1 MiB below the current frame
      char here;
      return reinterpret_cast<uintptr_t>(&here) - (uintptr_t(1) << 20);
    }
    uintptr_t reserve = std::min<uintptr_t>(kStackReserve, size / 4);
    return reinterpret_cast<uintptr_t>(low) + reserve;
  }();
  return limit;
}

// ---- Code registry and the fault handler -----------------------------------------------------

std::mutex g_registry_mutex;
std::vector<const JitModule*> g_modules;
struct sigaction g_previous_segv, g_previous_bus;

// Whether `pc` is a memory access of compiled code that may fault.
bool is_fault_site(uintptr_t pc) {
  std::lock_guard lock(g_registry_mutex);
  const CodeBlock* b = nullptr;
  if (!code_at(pc, &b)) return false;
  uint32_t offset = uint32_t(pc - uintptr_t(b->code));
  return std::binary_search(b->fault_sites.begin(), b->fault_sites.end(), offset);
}

// Walks the wasm frames from the innermost one (pc, fp) outwards while they are functions of
// the module holding `pc`. The innermost pc is the trapping instruction's (a fault, a trap
// stub) or a call's return address marked as such; the outer ones are return addresses, looked
// up one byte back, inside their call.
void record_frames(uintptr_t pc, uintptr_t fp, TrapRecord& r) {
  r.num_frames = 0;
  std::lock_guard lock(g_registry_mutex);
  const CodeBlock* b = nullptr;
  const JitModule* m = code_at(pc, &b);
  uintptr_t lookup = pc;
  while (m && b && r.num_frames < TrapRecord::kMaxFrames) {
    std::optional<uint32_t> defined = b->defined_func_at(pc);
    if (!defined) break;
    r.funcs[r.num_frames] = m->num_imported_funcs + *defined;
    r.wasm_offsets[r.num_frames++] = b->wasm_offset_at(lookup).value_or(kUnknownWasmOffset);
    if (!fp) break;
    const uintptr_t* frame = reinterpret_cast<const uintptr_t*>(fp);
    pc = frame[1];
    lookup = pc - 1;
    fp = frame[0];
    b = m->block_at(pc);
  }
}

void chain(const struct sigaction& previous, int sig, siginfo_t* info, void* uc) {
  if (previous.sa_flags & SA_SIGINFO) {
    if (previous.sa_sigaction) return previous.sa_sigaction(sig, info, uc);
  } else if (previous.sa_handler == SIG_IGN) {
    return;
  } else if (previous.sa_handler != SIG_DFL) {
    return previous.sa_handler(sig);
  }
  // Default action: restore it and let the faulting instruction run again. A signal that was
  // sent (raise, kill: si_code <= 0) has no instruction to repeat: send it again (SA_NODEFER
  // leaves it unblocked, so it is delivered at once).
  signal(sig, SIG_DFL);
  if (info->si_code <= 0) raise(sig);
}

void on_fault(int sig, siginfo_t* info, void* uc) {
  JitContext* ctx = t_current;
  FaultRegs regs = fault_regs(uc);
  if (ctx) {
    if (is_fault_site(regs.pc)) {
      t_record.code = uint32_t(TrapCode::MemoryOutOfBounds);
      t_record.instance = regs.instance;
      record_frames(regs.pc, regs.fp, t_record);
      siglongjmp(*ctx->unwind, 1);
    }
  }
  chain(sig == SIGBUS ? g_previous_bus : g_previous_segv, sig, info, uc);
}

void install_fault_handler() {
  static std::once_flag once;
  std::call_once(once, [] {
    struct sigaction sa = {};
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, &g_previous_segv);
    sigaction(SIGBUS, &sa, &g_previous_bus);
  });
}

Trap build_trap(JitContext& ctx, const TrapRecord& r) {
  Trap trap;
  if (r.code == kPendingTrap && *ctx.trap) {
    trap = std::move(**ctx.trap);
  } else {
    trap = rt::make_trap(TrapCode(r.code));
  }
  for (uint32_t i = 0; i < r.num_frames && r.instance; ++i) {
    if (r.funcs[i] < r.instance->funcs.size()) {
      std::optional<uint32_t> offset;
      if (r.wasm_offsets[i] != kUnknownWasmOffset) offset = r.wasm_offsets[i];
      rt::add_backtrace_frame(trap, r.instance->funcs[r.funcs[i]], offset);
    }
  }
  return trap;
}

// Runs `func` with a resume point for traps; false if it trapped.
bool run_guarded(JitContext& ctx, rt::FuncInstance* func, uint64_t* values) {
  sigjmp_buf resume;
  ctx.unwind = &resume;
  // Without the signal mask: saving it is a system call on every entry (1.3 of a short call's
  // 1.4 us), and it needs no restoring: the fault handler runs with SA_NODEFER and an empty
  // sa_mask, so jumping out of it leaves the mask as the wasm code ran with.
  if (sigsetjmp(resume, 0) != 0) return false;
  if (call_function(&ctx, func, values, nullptr) != 0) {
    t_record = TrapRecord{};
    t_record.code = kPendingTrap;
    return false;
  }
  return true;
}

}  // namespace

const JitContext* innermost_context() {
  return t_current;
}

const JitModule* code_at(uintptr_t pc, const CodeBlock** block) {
  for (const JitModule* m : g_modules) {
    if ((*block = m->block_at(pc))) return m;
  }
  return nullptr;
}

std::unique_lock<std::mutex> lock_code_registry() {
  return std::unique_lock(g_registry_mutex);
}

uint64_t set_trap(JitContext* ctx, Trap trap) {
  *ctx->trap = std::move(trap);
  ctx->pending = 1;
  return 1;
}

std::optional<uint32_t> CodeBlock::defined_func_at(uintptr_t pc) const {
  uint32_t offset = uint32_t(pc - uintptr_t(code));
  auto it = std::upper_bound(func_offsets.begin(), func_offsets.end(), offset);
  if (it == func_offsets.begin()) return std::nullopt;  // the trampoline or a stub
  return first_func + uint32_t(it - func_offsets.begin() - 1);
}

std::optional<uint32_t> CodeBlock::wasm_offset_at(uintptr_t pc) const {
  uint32_t offset = uint32_t(pc - uintptr_t(code));
  auto after = std::ranges::upper_bound(wasm_offsets, offset, {}, &WasmOffset::native_offset);
  if (after == wasm_offsets.begin() || std::prev(after)->wasm_offset == kUnknownWasmOffset) {
    return std::nullopt;
  }
  return std::prev(after)->wasm_offset;
}

std::span<const int32_t> CodeBlock::gc_slots_at(uintptr_t pc) const {
  uint32_t offset = uint32_t(pc - uintptr_t(code));
  auto it = std::ranges::lower_bound(safepoints, offset, {}, &Safepoint::return_offset);
  if (it == safepoints.end() || it->return_offset != offset) return {};
  return std::span(safepoint_slots).subspan(it->first, it->count);
}

const HandlerTable* CodeBlock::handlers_of(uint32_t defined) const {
  uint32_t position = defined - first_func;
  auto it = std::ranges::lower_bound(handler_tables, position, {}, &HandlerTable::func);
  return it != handler_tables.end() && it->func == position ? &*it : nullptr;
}

JitModule::JitModule(uint32_t num_defined_funcs)
    : num_defined_funcs(num_defined_funcs),
      entries(new std::atomic<const void*>[num_defined_funcs]) {}

JitModule::~JitModule() {
  unregister_code(this);
  for (CodeBlock& b : blocks_) {
    if (b.release) b.release(b.release_token);
  }
}

void JitModule::add_block(CodeBlock block) const {
  std::lock_guard lock(g_registry_mutex);
  blocks_.push_back(std::move(block));
}

const CodeBlock* JitModule::block_at(uintptr_t pc) const {
  for (const CodeBlock& b : blocks_) {
    if (b.contains(pc)) return &b;
  }
  return nullptr;
}

size_t JitModule::num_blocks() const {
  std::lock_guard lock(g_registry_mutex);
  return blocks_.size();
}

void register_code(const JitModule* module) {
  install_fault_handler();
  std::lock_guard lock(g_registry_mutex);
  g_modules.push_back(module);
}

void unregister_code(const JitModule* module) {
  std::lock_guard lock(g_registry_mutex);
  std::erase(g_modules, module);
}

uint64_t call_function(JitContext* ctx, rt::FuncInstance* func, uint64_t* values,
                       rt::Instance* caller) {
  const JitModule* jm = func->is_host() ? nullptr : jit_module_of(*func->instance->module);
  if (!jm) {
    // A host function, or one of a module another tier compiled: the runtime's one path for
    // both reads the same 8-byte value layout.
    std::optional<Trap> trap =
        rt::call_host(*ctx->store, func, caller, reinterpret_cast<uint8_t*>(values));
    return trap ? set_trap(ctx, std::move(*trap)) : 0;
  }
  rt::Instance* inst = func->instance;
  uint8_t* memory_base = inst->memories.empty() ? nullptr : inst->memories[0]->base;
  const void* code = jm->code_of(func->func_index - jm->num_imported_funcs);
  // The calling activation (if any) is suspended in a helper: its exit stays walkable while
  // the new one records its own.
  ExitFrame outer = ctx->exit;
  ctx->exit = ExitFrame{0, 0, &outer};
  jm->entry(code, values, ctx, inst, memory_base, inst->globals.data());
  ctx->exit = outer;
  // Nonzero when an exception no handler of that activation caught left it (exceptions.cpp).
  return ctx->pending;
}

void raise_trap(JitContext* ctx, uint32_t code, uintptr_t pc, uintptr_t fp, rt::Instance* inst) {
  if (code == uint32_t(TrapCode::Interrupted)) {
    // Delivered once, as in the interpreter: the embedder may call again afterwards.
    ctx->store->interrupt_requested.store(false, std::memory_order_relaxed);
  }
  if (code == kPendingTrap && is_pending_exception(*ctx)) unwind_exception(ctx, pc, fp, inst);
  t_record.code = code;
  t_record.instance = inst;
  t_record.num_frames = 0;
  record_frames(pc, fp, t_record);
  siglongjmp(*ctx->unwind, 1);
}

std::optional<Trap> call(rt::Store& store, rt::FuncInstance* func, uint64_t* values) {
  const FuncType& type = *func->type;
  if (!trace_frames_of(store)) return rt::host_error("out of memory entering compiled code");
  JitContext ctx;
  ctx.store = &store;
  ctx.parent = t_current;
  // A nested entry (host code calling back into wasm) continues its thread's count.
  uint32_t max_depth = store.config().max_call_depth;
  ctx.depth_left = t_current ? std::min(t_current->depth_left, max_depth) : max_depth;
  ctx.stack_limit = thread_stack_limit();
  ctx.interrupt = &store.interrupt_requested;
  std::optional<Trap> helper_trap;
  ctx.trap = &helper_trap;

  // A value area smaller than kMinValueArea slots is copied to one that size (and the results
  // back).
  auto slots_of = [](std::span<const ValType> types) {
    size_t bytes = 0;
    for (ValType t : types) bytes += rt::slot_bytes(t);
    return bytes / rt::kSlotBytes;
  };
  size_t param_slots = slots_of(type.params), result_slots = slots_of(type.results);
  uint64_t min_area[kMinValueArea];
  uint64_t* area = values;
  if (std::max(param_slots, result_slots) < kMinValueArea) {
    std::copy_n(values, param_slots, min_area);
    area = min_area;
  }

  t_current = &ctx;
  bool ok = run_guarded(ctx, func, area);
  t_current = ctx.parent;
  if (!ok) return build_trap(ctx, t_record);
  if (area != values) std::copy_n(area, result_slots, values);
  return std::nullopt;
}

}  // namespace tern::jit
