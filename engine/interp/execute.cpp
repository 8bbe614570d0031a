// The dispatch loop: one function, computed goto (GCC's `&&label`), so ip, fp and the cached
// memory base and size stay in registers across handlers. Each handler ends by jumping straight
// to the next one (`NEXT`), which gives every handler its own indirect branch for the predictor.
// Handlers read every operand before writing their destination, so a destination may alias a
// source (the lowering points results straight at locals).
#include <algorithm>
#include <atomic>
#include <bit>
#include <cstring>
#include <type_traits>
#include <utility>

#include "engine/interp/instr_views.h"
#include "engine/interp/machine.h"
#include "engine/interp/simd.h"
#include "engine/interp/simd_memory.h"
#include "engine/numerics.h"
#include "engine/runtime/alloc.h"
#include "engine/runtime/bulk_ops.h"
#include "engine/runtime/gc_ops.h"
#include "engine/runtime/host_call.h"
#include "engine/runtime/i31.h"
#include "engine/runtime/trap.h"

namespace tern::interp {

namespace {

template <class T>
inline T rd(const uint8_t* p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
template <class T>
inline void wr(uint8_t* p, T v) {
  std::memcpy(p, &v, sizeof v);
}
// Slot writes are always 8 bytes (4-byte values zero-extended): the next handler often copies
// the slot with an 8-byte load, which a narrower store could not forward to.
template <class T>
inline void put(uint8_t* slot, T v) {
  if constexpr (sizeof(T) == 4) {
    wr<uint64_t>(slot, std::bit_cast<uint32_t>(v));
  } else {
    wr<T>(slot, v);
  }
}

// An address, index or length operand of a memory or table: 64-bit when its address type is
// i64 (memory64), else the slot's low 32 bits.
inline bool is_wide(AddrType a) {
  return a == AddrType::I64;
}
inline uint64_t rd_addr(const uint8_t* slot, bool wide) {
  return wide ? rd<uint64_t>(slot) : rd<uint32_t>(slot);
}
inline void put_addr(uint8_t* slot, uint64_t v, bool wide) {
  if (wide) {
    put<uint64_t>(slot, v);
  } else {
    put<uint32_t>(slot, uint32_t(v));
  }
}
// Whether an access of `n` bytes at `addr` + `offset` stays within `size` bytes, for any 64-bit
// address and offset (their sum may wrap past 2^64).
inline bool access_in_bounds(uint64_t size, uint64_t addr, uint64_t offset, uint64_t n) {
  return offset <= size && n <= size - offset && addr <= size - offset - n;
}

const int32_t* g_handler_offsets = nullptr;

// A trap's backtrace names at most this many frames, the innermost: a recursion trapping a
// million frames deep would otherwise allocate a hundred megabytes of names to report it.
constexpr uint32_t kMaxBacktraceFrames = 1000;

// Locals other than the parameters start at zero. Most functions have a few: store them
// directly rather than through a memset call.
inline void zero_locals(uint8_t* fp, const FuncCode* code) {
  uint8_t* p = fp + code->param_bytes;
  uint8_t* end = fp + code->locals_bytes;
  if (end - p > 64) {
    std::memset(p, 0, size_t(end - p));
    return;
  }
  for (; p < end; p += 8) wr<uint64_t>(p, 0);
}

std::optional<Trap> run(Machine* mp, rt::FuncInstance* entry, uint8_t* entry_fp);

// The module offset of the wasm instruction that `at` lies in, if it is in `code` (a trap on
// entering a function, before its first instruction, has none).
std::optional<uint32_t> wasm_offset_of(const FuncCode& code, const Unit* at) {
  auto pos = reinterpret_cast<uintptr_t>(at) - reinterpret_cast<uintptr_t>(code.code.data());
  if (pos >= code.code.size() * sizeof(Unit)) return std::nullopt;
  return wasm_offset_at(code, uint32_t(pos / sizeof(Unit)));
}

// The landing pad of the first clause catching `exn` at code position `pos` of `code`, after
// writing the clause's payload and exnref into the frame at `fp`; empty when none does.
std::optional<uint32_t> catch_in(const FuncCode& code, uint32_t pos, rt::ExnInstance* exn,
                                 const rt::Instance& inst, uint8_t* fp) {
  int32_t h = -1;
  for (size_t i = code.handlers.size(); i-- > 0;) {
    const Handler& hd = code.handlers[i];
    if (hd.start <= pos && pos < hd.end) {
      h = int32_t(i);  // the innermost: ranges nest, and inner ones open later
      break;
    }
  }
  for (; h >= 0; h = code.handlers[size_t(h)].parent) {
    for (const CatchClause& c : code.handlers[size_t(h)].clauses) {
      if (c.tag != CatchClause::kAnyTag && inst.tags[c.tag] != exn->tag) continue;
      if (c.tag != CatchClause::kAnyTag && !exn->payload.empty()) {
        std::memcpy(fp + c.payload, exn->payload.data(), exn->payload.size() * sizeof(uint64_t));
      }
      if (c.exn != CatchClause::kNoSlot) wr<rt::ExnInstance*>(fp + c.exn, exn);
      return c.pad;
    }
  }
  return std::nullopt;
}

}  // namespace

const int32_t* handler_offsets() {
  static const int32_t* offsets = [] {
    run(nullptr, nullptr, nullptr);
    return g_handler_offsets;
  }();
  return offsets;
}

std::optional<Trap> execute(Machine& m, rt::FuncInstance* func, uint8_t* fp) {
  return run(&m, func, fp);
}

namespace {

std::optional<Trap> run(Machine* mp, rt::FuncInstance* entry, uint8_t* entry_fp) {
  // Handler addresses relative to the first handler: GCC folds these label differences to
  // constants, so the table is built once, at compile time.
#define TERN_OFFSET(label) \
  int32_t(static_cast<char*>(&&label) - static_cast<char*>(&&L_Unreachable))
  static const int32_t kOffsets[] = {
#define TERN_X(name, ...) TERN_OFFSET(L_##name),
      TERN_INTERP_FIXED_OPS(TERN_X)
#undef TERN_X
#define INT_COMPARE(cond, negated, op, T32, T64)                    \
  TERN_OFFSET(L_BrI32##cond##_ss), TERN_OFFSET(L_BrI32##cond##_si), \
      TERN_OFFSET(L_BrI64##cond##_ss), TERN_OFFSET(L_BrI64##cond##_si),
#include "engine/compare_ops.def"
#define UNARY(id, T, R, expr) TERN_OFFSET(L_##id),
#define BINARY(id, T, R, expr) TERN_OFFSET(L_##id##_ss), TERN_OFFSET(L_##id##_si),
#define LOAD(id, M, R) \
  TERN_OFFSET(L_##id), TERN_OFFSET(L_##id##_add_ss), TERN_OFFSET(L_##id##_add_si),
#define STORE(id, T, M) \
  TERN_OFFSET(L_##id), TERN_OFFSET(L_##id##_add_ss), TERN_OFFSET(L_##id##_add_si),
#include "engine/interp/numeric_ops.def"
#define GC_LOAD(id, M, R) TERN_OFFSET(L_StructGet##id), TERN_OFFSET(L_ArrayGet##id),
#define GC_STORE(id, M) TERN_OFFSET(L_StructSet##id), TERN_OFFSET(L_ArraySet##id),
#include "engine/interp/gc_field_ops.def"
  };
#undef TERN_OFFSET
  static_assert(sizeof(kOffsets) / sizeof(kOffsets[0]) == kOpCount);
  if (!mp) {
    g_handler_offsets = kOffsets;
    return std::nullopt;
  }
  Machine& m = *mp;
  char* const base_label = static_cast<char*>(&&L_Unreachable);
  // The collector finds this entry's frames through m.activation (machine.h).
  struct ActivationScope {
    Machine& m;
    Activation a;
    ~ActivationScope() { m.activation = a.outer; }
  } scope{m, Activation{m.activation, m.depth, m.depth}};
  m.activation = &scope.a;
  Activation& act = scope.a;

  rt::FuncInstance* func = entry;
  uint8_t* fp = entry_fp;
  const Unit* ip = nullptr;
  Frame* frames = m.frames.data();  // moves when the frame stack grows
  uint32_t push_limit = m.push_limit;
  const uint32_t base_depth = m.depth;
  uint32_t depth = base_depth;
  uint8_t* const saved_free = m.stack_free;
  std::atomic<bool>& interrupt = m.store->interrupt_requested;
  uint64_t* fuel = m.store->fuel ? &*m.store->fuel : nullptr;
  const uint32_t max_depth = m.max_depth;
  uint8_t* const stack_end = m.stack_end;

  rt::Instance* inst = nullptr;
  rt::MemoryInstance* mem0 = nullptr;
  uint8_t* mem = nullptr;
  uint64_t mem_size = 0;

  TrapCode trap_code = TrapCode::Unreachable;
  std::optional<Trap> pending;        // a trap coming back from a host function
  rt::ExnInstance* thrown = nullptr;  // the exception being unwound
  // The exception came out of a tail call's callee, which replaced the running frame: the
  // frame's own handlers no longer apply.
  bool thrown_past_frame = false;

  // Call state shared by call and call_indirect.
  rt::FuncInstance* callee = nullptr;
  uint8_t* args = nullptr;
  const Unit* ret_ip = nullptr;
  // The tail calls' argument and result sizes.
  uint32_t arg_bytes = 0;
  uint32_t result_bytes = 0;

// Records that the running frame stops at safepoint `at` (Activation in machine.h): before an
// allocation, which may collect, and before a call out of the loop.
#define STOP_AT(at)     \
  do {                  \
    act.ip = (at);      \
    act.fp = fp;        \
    act.func = func;    \
    act.depth = depth;  \
    act.stopped = true; \
  } while (0)

// The instruction at ip as its layout (instr_views.h), and its slot operand `k` as a pointer.
#define IN(Layout) const ops::Layout& in = ops::view<ops::Layout>(ip)
#define S(k) (fp + in.k)
// Advances past the instruction read with IN.
#define NEXT_INSTR() NEXT(ops::kUnits<std::remove_cvref_t<decltype(in)>>)
#define NEXT(n)                       \
  do {                                \
    ip += (n);                        \
    goto*(base_label + int32_t(*ip)); \
  } while (0)
#define TRAP(code)      \
  do {                  \
    trap_code = (code); \
    goto trap;          \
  } while (0)
#define REFRESH_MEMORY()           \
  do {                             \
    if (mem0) {                    \
      mem = mem0->base;            \
      mem_size = mem0->size_bytes; \
    }                              \
  } while (0)
#define LOAD_INSTANCE()                                          \
  do {                                                           \
    inst = func->instance;                                       \
    mem0 = inst->memories.empty() ? nullptr : inst->memories[0]; \
    mem = nullptr;                                               \
    mem_size = 0;                                                \
    REFRESH_MEMORY();                                            \
  } while (0)
// Effective address of an access of `n` bytes at the u32 `addr`; traps when any byte is out of
// bounds. The offset is below 2^32, so the sum cannot overflow.
#define ADDRESS_OF(ea, addr, offset, n)              \
  uint64_t ea = uint64_t(uint32_t(addr)) + (offset); \
  if (ea + (n) > mem_size) TRAP(TrapCode::MemoryOutOfBounds)
// The same with the address in slot operand `addr`.
#define EFFECTIVE_ADDRESS(ea, addr, offset, n) ADDRESS_OF(ea, rd<uint32_t>(S(addr)), offset, n)
// The host address of an access of `n` bytes to any memory (`memory`, an index), at the address
// in slot operand `addr` (an i64 on a 64-bit memory) plus the 64-bit `offset`; traps when any
// byte is out of bounds, overflow included.
#define ANY_MEMORY_ADDRESS(p, memory, addr, offset, n)          \
  uint8_t* p;                                                   \
  {                                                             \
    const rt::MemoryInstance& mi_ = *inst->memories[memory];    \
    uint64_t addr_ = rd_addr(S(addr), is_wide(mi_.type.addr));  \
    uint64_t offset_ = (offset);                                \
    if (!access_in_bounds(mi_.size_bytes, addr_, offset_, n)) { \
      TRAP(TrapCode::MemoryOutOfBounds);                        \
    }                                                           \
    p = mi_.base + addr_ + offset_;                             \
  }

  // Enter the first function.
  if (interrupt.load(std::memory_order_relaxed)) goto interrupted;
  if (depth >= max_depth) TRAP(TrapCode::CallStackExhausted);
  {
    const FuncCode* fc = func->code;
    if (fp + fc->frame_bytes > stack_end) TRAP(TrapCode::CallStackExhausted);
    zero_locals(fp, fc);
    ip = fc->code.data();
  }
  LOAD_INSTANCE();
  NEXT(0);

L_Unreachable:
  TRAP(TrapCode::Unreachable);

L_Check:
  if (interrupt.load(std::memory_order_relaxed)) goto interrupted;
  NEXT(ops::kUnits<ops::Check>);
interrupted:
  // Delivered once: the embedder may call again after an interruption.
  interrupt.store(false, std::memory_order_relaxed);
  TRAP(TrapCode::Interrupted);

L_Fuel : {
  IN(Fuel);
  if (fuel) {
    if (*fuel < in.cost) {
      *fuel = 0;
      TRAP(TrapCode::OutOfFuel);
    }
    *fuel -= in.cost;
  }
  NEXT_INSTR();
}

L_Jmp : {
  IN(Jmp);
  NEXT(in.target);
}
L_BrIf : {
  IN(BrIf);
  if (rd<uint32_t>(S(cond))) NEXT(in.target);
  NEXT_INSTR();
}
L_BrUnless : {
  IN(BrUnless);
  if (!rd<uint32_t>(S(cond))) NEXT(in.target);
  NEXT_INSTR();
}
L_BrTable : {
  IN(BrTable);
  uint32_t i = std::min(rd<uint32_t>(S(index)), in.count);
  NEXT(in.targets()[i]);
}

#define TERN_BR_COMPARE(name, U, T, op)                       \
  L_##name##_ss : {                                           \
    IN(BrCompare);                                            \
    if (T(rd<U>(S(a))) op T(rd<U>(S(b)))) NEXT(in.target);    \
    NEXT_INSTR();                                             \
  }                                                           \
  L_##name##_si : {                                           \
    if constexpr (sizeof(U) == 4) {                           \
      IN(BrCompareImm32);                                     \
      if (T(rd<U>(S(a))) op T(in.b)) NEXT(in.target);         \
      NEXT_INSTR();                                           \
    } else {                                                  \
      IN(BrCompareImm64);                                     \
      if (T(rd<U>(S(a))) op T(in.b.as<U>())) NEXT(in.target); \
      NEXT_INSTR();                                           \
    }                                                         \
  }
#define INT_COMPARE(cond, negated, op, T32, T64)  \
  TERN_BR_COMPARE(BrI32##cond, uint32_t, T32, op) \
  TERN_BR_COMPARE(BrI64##cond, uint64_t, T64, op)
#include "engine/compare_ops.def"
#undef TERN_BR_COMPARE

L_Return:
  if (depth == base_depth) {
    m.stack_free = saved_free;
    return std::nullopt;
  }
  {
    const Frame& f = frames[--depth];
    ip = f.ret_ip;
    fp = f.fp;
    func = f.func;
    if (func->instance != inst) {
      LOAD_INSTANCE();
    } else {
      REFRESH_MEMORY();  // the callee may have grown the memory
    }
  }
  NEXT(0);

// Calls `callee_e` with its arguments at `args_e`, returning to `ret_ip_e`. Expanded in each
// call handler, so that the callee, arguments and return address stay in registers there rather
// than in variables every handler shares; host functions (and other tiers' functions) go to the
// shared call_host_function.
#define CALL(callee_e, args_e, ret_ip_e)                                   \
  do {                                                                     \
    rt::FuncInstance* const callee_ = (callee_e);                          \
    uint8_t* const args_ = (args_e);                                       \
    const Unit* const ret_ip_ = (ret_ip_e);                                \
    const FuncCode* const cc_ = callee_->code;                             \
    if (!cc_) {                                                            \
      callee = callee_;                                                    \
      args = args_;                                                        \
      ret_ip = ret_ip_;                                                    \
      goto call_host_function;                                             \
    }                                                                      \
    /* Function entry is one of the two places an interrupt is noticed. */ \
    if (interrupt.load(std::memory_order_relaxed)) goto interrupted;       \
    if (depth >= push_limit) [[unlikely]] {                                \
      if (!grow_frames(m, depth)) TRAP(TrapCode::CallStackExhausted);      \
      frames = m.frames.data();                                            \
      push_limit = m.push_limit;                                           \
    }                                                                      \
    if (args_ + cc_->frame_bytes > stack_end) {                            \
      TRAP(TrapCode::CallStackExhausted);                                  \
    }                                                                      \
    frames[depth++] = Frame{ret_ip_, fp, func};                            \
    fp = args_;                                                            \
    func = callee_;                                                        \
    zero_locals(fp, cc_);                                                  \
    if (callee_->instance != inst) LOAD_INSTANCE();                        \
    ip = cc_->code.data();                                                 \
    NEXT(0);                                                               \
  } while (0)

L_Call : {
  IN(Call);
  CALL(inst->funcs[in.func], S(args), ip + ops::kUnits<ops::Call>);
}

L_CallIndirect : {
  IN(CallIndirect);
  rt::TableInstance* table = inst->tables[in.table];
  uint64_t i = rd_addr(S(elem), is_wide(table->type.addr));
  if (i >= table->elems.size()) TRAP(TrapCode::UndefinedElement);
  auto* target = static_cast<rt::FuncInstance*>(table->elems[i]);
  if (!target) TRAP(TrapCode::UninitializedElement);
  if (target->type_id != inst->module->type_ids[in.type] &&
      !rt::func_subtype(*m.store, target->type_id, inst->module->type_ids[in.type])) {
    TRAP(TrapCode::IndirectCallTypeMismatch);
  }
  CALL(target, S(args), ip + ops::kUnits<ops::CallIndirect>);
}

call_host_function:  // a host function, or one of a module on another tier
  m.depth = depth + 1;
  m.stack_free = fp + func->code->frame_bytes;
  STOP_AT(ret_ip);
  pending = rt::call_host(*m.store, callee, inst, args);
  act.stopped = false;
  m.depth = base_depth;
  // A nested entry into wasm may have grown (and so moved) the frame stack.
  frames = m.frames.data();
  push_limit = m.push_limit;
  if (pending) goto trap;
  fuel = m.store->fuel ? &*m.store->fuel : nullptr;
  REFRESH_MEMORY();
  ip = ret_ip;
  NEXT(0);

// Tail calls: the callee takes over the running frame (its arguments move to slot 0), so the
// frame stack does not grow; the backtrace of a trap in the callee no longer shows the caller.
L_ReturnCall : {
  IN(ReturnCall);
  callee = inst->funcs[in.func];
  args = S(args);
  arg_bytes = in.arg_bytes;
  result_bytes = in.result_bytes;
  goto do_tail_call;
}

L_ReturnCallIndirect : {
  IN(ReturnCallIndirect);
  rt::TableInstance* table = inst->tables[in.table];
  uint64_t i = rd_addr(S(elem), is_wide(table->type.addr));  // a 64-bit table's index is i64
  if (i >= table->elems.size()) TRAP(TrapCode::UndefinedElement);
  callee = static_cast<rt::FuncInstance*>(table->elems[i]);
  if (!callee) TRAP(TrapCode::UninitializedElement);
  if (callee->type_id != inst->module->type_ids[in.type] &&
      !rt::func_subtype(*m.store, callee->type_id, inst->module->type_ids[in.type])) {
    TRAP(TrapCode::IndirectCallTypeMismatch);
  }
  args = S(args);
  arg_bytes = in.arg_bytes;
  result_bytes = in.result_bytes;
  goto do_tail_call;
}

do_tail_call:
  if (!callee->code) {
    // A host function or another tier's: called as by `call`, its results then returned.
    m.depth = depth + 1;
    m.stack_free = fp + func->code->frame_bytes;
    STOP_AT(nullptr);  // the frame is the callee's now: only its arguments live, in call_host
    pending = rt::call_host(*m.store, callee, inst, args);
    act.stopped = false;
    m.depth = base_depth;
    frames = m.frames.data();
    push_limit = m.push_limit;
    if (pending && pending->code == TrapCode::Exception) {
      thrown = pending->exception;
      pending.reset();
      thrown_past_frame = true;
      goto unwind;
    }
    if (pending) goto trap;
    fuel = m.store->fuel ? &*m.store->fuel : nullptr;
    std::memmove(fp, args, result_bytes);
    goto L_Return;
  }
  {
    if (interrupt.load(std::memory_order_relaxed)) goto interrupted;
    const FuncCode* cc = callee->code;
    if (fp + cc->frame_bytes > stack_end) TRAP(TrapCode::CallStackExhausted);
    std::memmove(fp, args, arg_bytes);
    func = callee;
    zero_locals(fp, cc);
    if (callee->instance != inst) LOAD_INSTANCE();
    ip = cc->code.data();
  }
  NEXT(0);

L_Copy64 : {
  IN(Copy64);
  std::memcpy(S(dst), S(src), 8);
  NEXT_INSTR();
}
L_Copy128 : {
  IN(Copy128);
  std::memmove(S(dst), S(src), 16);
  NEXT_INSTR();
}
L_Const32 : {
  IN(Const32);
  put<uint32_t>(S(dst), in.value);
  NEXT_INSTR();
}
L_Const64 : {
  IN(Const64);
  wr<uint64_t>(S(dst), in.value.as<uint64_t>());
  NEXT_INSTR();
}
L_Const128 : {
  IN(Const128);
  std::memcpy(S(dst), in.value, 16);
  NEXT_INSTR();
}
L_Select64 : {
  IN(Select64);
  wr<uint64_t>(S(dst), rd<uint64_t>(rd<uint32_t>(S(cond)) ? S(a) : S(b)));
  NEXT_INSTR();
}
L_Select128 : {
  IN(Select128);
  V128 v = rd<V128>(rd<uint32_t>(S(cond)) ? S(a) : S(b));
  wr<V128>(S(dst), v);
  NEXT_INSTR();
}

L_GlobalGet64 : {
  IN(GlobalGet64);
  std::memcpy(S(dst), &inst->globals[in.global]->value, 8);
  NEXT_INSTR();
}
L_GlobalGet128 : {
  IN(GlobalGet128);
  std::memcpy(S(dst), &inst->globals[in.global]->value, 16);
  NEXT_INSTR();
}
L_GlobalSet64 : {
  IN(GlobalSet64);
  std::memcpy(&inst->globals[in.global]->value, S(value), 8);
  NEXT_INSTR();
}
L_GlobalSet128 : {
  IN(GlobalSet128);
  std::memcpy(&inst->globals[in.global]->value, S(value), 16);
  NEXT_INSTR();
}

L_MemorySize : {
  IN(MemorySize);
  const rt::MemoryInstance& mi = *inst->memories[in.memory];
  put_addr(S(dst), mi.pages(), is_wide(mi.type.addr));
  NEXT_INSTR();
}
L_MemoryGrow : {
  IN(MemoryGrow);
  rt::MemoryInstance& mi = *inst->memories[in.memory];
  bool wide = is_wide(mi.type.addr);
  int64_t old = mi.grow(rd_addr(S(delta), wide));
  REFRESH_MEMORY();
  put_addr(S(dst), uint64_t(old), wide);
  NEXT_INSTR();
}
L_MemoryInit : {
  IN(MemoryInit);
  const rt::MemoryInstance& mi = *inst->memories[in.memory];
  if (auto t = rt::memory_init(*m.store, rt::bytes_of(mi), rd_addr(S(dst), is_wide(mi.type.addr)),
                               inst->data_segments[in.data], rd<uint32_t>(S(src)),
                               rd<uint32_t>(S(len)))) {
    TRAP(*t);
  }
  NEXT_INSTR();
}
L_DataDrop : {
  IN(DataDrop);
  inst->data_segments[in.data] = {};
  NEXT_INSTR();
}
L_MemoryCopy : {
  IN(MemoryCopy);
  const rt::MemoryInstance& to = *inst->memories[in.dst_memory];
  const rt::MemoryInstance& from = *inst->memories[in.src_memory];
  bool wide_to = is_wide(to.type.addr), wide_from = is_wide(from.type.addr);
  if (auto t =
          rt::memory_copy(*m.store, rt::bytes_of(to), rd_addr(S(dst), wide_to), rt::bytes_of(from),
                          rd_addr(S(src), wide_from), rd_addr(S(len), wide_to && wide_from))) {
    TRAP(*t);
  }
  NEXT_INSTR();
}
L_MemoryFill : {
  IN(MemoryFill);
  const rt::MemoryInstance& mi = *inst->memories[in.memory];
  bool wide = is_wide(mi.type.addr);
  if (auto t = rt::memory_fill(*m.store, rt::bytes_of(mi), rd_addr(S(dst), wide),
                               uint8_t(rd<uint32_t>(S(value))), rd_addr(S(len), wide))) {
    TRAP(*t);
  }
  NEXT_INSTR();
}
// Loads and stores on any memory: the access kind is the op's numeric_ops.def line.
L_LoadAny : {
  IN(LoadAny);
  switch (Op(in.op)) {
#define UNARY(id, T, R, expr)
#define BINARY(id, T, R, expr)
#define STORE(id, T, M)
#define LOAD(id, M, R)                                                           \
  case Op::id: {                                                                 \
    ANY_MEMORY_ADDRESS(p, in.memory, addr, in.offset.as<uint64_t>(), sizeof(M)); \
    put<R>(S(dst), R(rd<M>(p)));                                                 \
    break;                                                                       \
  }
#include "engine/interp/numeric_ops.def"
    default:
      break;
  }
  NEXT_INSTR();
}
L_StoreAny : {
  IN(StoreAny);
  switch (Op(in.op)) {
#define UNARY(id, T, R, expr)
#define BINARY(id, T, R, expr)
#define LOAD(id, M, R)
#define STORE(id, T, M)                                                          \
  case Op::id: {                                                                 \
    ANY_MEMORY_ADDRESS(p, in.memory, addr, in.offset.as<uint64_t>(), sizeof(M)); \
    wr<M>(p, M(rd<T>(S(value))));                                                \
    break;                                                                       \
  }
#include "engine/interp/numeric_ops.def"
    default:
      break;
  }
  NEXT_INSTR();
}

L_TableGet : {
  IN(TableGet);
  const rt::TableInstance* t = inst->tables[in.table];
  uint64_t i = rd_addr(S(index), is_wide(t->type.addr));
  if (i >= t->elems.size()) TRAP(TrapCode::TableOutOfBounds);
  wr<Ref>(S(dst), t->elems[i]);
  NEXT_INSTR();
}
L_TableSet : {
  IN(TableSet);
  rt::TableInstance* t = inst->tables[in.table];
  uint64_t i = rd_addr(S(index), is_wide(t->type.addr));
  if (i >= t->elems.size()) TRAP(TrapCode::TableOutOfBounds);
  t->elems[i] = rd<Ref>(S(value));
  NEXT_INSTR();
}
L_TableSize : {
  IN(TableSize);
  const rt::TableInstance* t = inst->tables[in.table];
  put_addr(S(dst), t->elems.size(), is_wide(t->type.addr));
  NEXT_INSTR();
}
L_TableGrow : {
  IN(TableGrow);
  rt::TableInstance* t = inst->tables[in.table];
  bool wide = is_wide(t->type.addr);
  int64_t old = t->grow(rd_addr(S(delta), wide), rd<Ref>(S(init)));
  put_addr(S(dst), uint64_t(old), wide);
  NEXT_INSTR();
}
L_TableFill : {
  IN(TableFill);
  rt::TableInstance& t = *inst->tables[in.table];
  bool wide = is_wide(t.type.addr);
  if (auto trap = rt::table_fill(*m.store, t, rd_addr(S(index), wide), rd<Ref>(S(value)),
                                 rd_addr(S(len), wide))) {
    TRAP(*trap);
  }
  NEXT_INSTR();
}
L_TableCopy : {
  IN(TableCopy);
  rt::TableInstance& to = *inst->tables[in.dst_table];
  const rt::TableInstance& from = *inst->tables[in.src_table];
  bool wide_to = is_wide(to.type.addr), wide_from = is_wide(from.type.addr);
  if (auto t = rt::table_copy(*m.store, to, rd_addr(S(dst), wide_to), from,
                              rd_addr(S(src), wide_from), rd_addr(S(len), wide_to && wide_from))) {
    TRAP(*t);
  }
  NEXT_INSTR();
}
L_TableInit : {
  IN(TableInit);
  rt::TableInstance& t = *inst->tables[in.table];
  if (auto trap = rt::table_init(*m.store, t, rd_addr(S(dst), is_wide(t.type.addr)),
                                 inst->elem_segments[in.elem], rd<uint32_t>(S(src)),
                                 rd<uint32_t>(S(len)))) {
    TRAP(*trap);
  }
  NEXT_INSTR();
}
L_ElemDrop : {
  IN(ElemDrop);
  inst->elem_segments[in.elem].clear();
  NEXT_INSTR();
}

L_RefIsNull : {
  IN(RefIsNull);
  put<uint32_t>(S(dst), rd<Ref>(S(ref)) == nullptr);
  NEXT_INSTR();
}
// Typed function references. call_ref needs no type check: validation proved the reference's
// type, so only null traps.
L_CallRef : {
  IN(CallRef);
  auto* target = rd<rt::FuncInstance*>(S(ref));
  if (!target) TRAP(TrapCode::NullFunctionReference);
  CALL(target, S(args), ip + ops::kUnits<ops::CallRef>);
}
L_ReturnCallRef : {
  IN(ReturnCallRef);
  callee = rd<rt::FuncInstance*>(S(ref));
  if (!callee) TRAP(TrapCode::NullFunctionReference);
  args = S(args);
  arg_bytes = in.arg_bytes;
  result_bytes = in.result_bytes;
  goto do_tail_call;
}
L_RefAsNonNull : {
  IN(RefAsNonNull);
  if (!rd<Ref>(S(ref))) TRAP(TrapCode::NullReference);
  NEXT_INSTR();
}
L_BrOnNull : {
  IN(BrOnNull);
  if (!rd<Ref>(S(ref))) NEXT(in.target);
  NEXT_INSTR();
}
L_BrOnNonNull : {
  IN(BrOnNonNull);
  if (rd<Ref>(S(ref))) NEXT(in.target);
  NEXT_INSTR();
}
L_RefI31 : {
  IN(RefI31);
  put<uint64_t>(S(dst), rt::i31_box(rd<uint32_t>(S(value))));
  NEXT_INSTR();
}
L_I31GetS : {
  IN(I31GetS);
  uint64_t ref = rd<uint64_t>(S(ref));
  if (!ref) TRAP(TrapCode::NullI31Reference);
  put<int32_t>(S(dst), rt::i31_get_s(ref));
  NEXT_INSTR();
}
L_I31GetU : {
  IN(I31GetU);
  uint64_t ref = rd<uint64_t>(S(ref));
  if (!ref) TRAP(TrapCode::NullI31Reference);
  put<uint32_t>(S(dst), rt::i31_get_u(ref));
  NEXT_INSTR();
}
L_RefFunc : {
  IN(RefFunc);
  wr<Ref>(S(dst), inst->funcs[in.func]);
  NEXT_INSTR();
}

#include "engine/interp/execute_gc.inc"
#include "engine/interp/execute_simd.inc"

L_Throw : {
  IN(Throw);
  thrown = rt::alloc_exn(*m.store, inst->tags[in.tag], S(args));
  goto unwind;
}
L_ThrowRef : {
  IN(ThrowRef);
  thrown = rd<rt::ExnInstance*>(S(exn));
  if (!thrown) TRAP(TrapCode::NullReference);
  goto unwind;
}
// From the instruction at ip (a throw, or a call the exception came out of) outwards: the first
// matching clause of a handler covering the position continues there, with the payload in its
// slots; frames without one are popped. Past the entry frame the exception goes back to the
// caller, which unwinds further (another run, a host function, the embedder).
unwind : {
  const Unit* at = ip;
  for (;;) {
    const FuncCode* fc = func->code;
    std::optional<uint32_t> pad;
    if (!std::exchange(thrown_past_frame, false)) {
      pad = catch_in(*fc, uint32_t(at - fc->code.data()), thrown, *inst, fp);
    }
    if (pad) {
      ip = fc->code.data() + *pad;
      REFRESH_MEMORY();  // a callee may have grown the memory
      NEXT(0);
    }
    if (depth == base_depth) break;
    const Frame& f = frames[--depth];
    at = f.ret_ip - 1;  // inside the call instruction
    fp = f.fp;
    func = f.func;
    if (func->instance != inst) LOAD_INSTANCE();
  }
  m.depth = base_depth;
  m.stack_free = saved_free;
  return rt::exception_trap(thrown);
}

#define UNARY(id, T, R, expr) \
  L_##id : {                  \
    IN(Unary);                \
    T a = rd<T>(S(a));        \
    put<R>(S(dst), R(expr));  \
    NEXT_INSTR();             \
  }
#define UNARY_TRAP(id, T, R, trap_check, expr) \
  L_##id : {                                   \
    IN(Unary);                                 \
    T a = rd<T>(S(a));                         \
    if (auto t = trap_check) TRAP(*t);         \
    put<R>(S(dst), R(expr));                   \
    NEXT_INSTR();                              \
  }
// The right-immediate form's layout: the immediate is as wide as T.
#define TERN_BINARY_IMM(T) std::conditional_t<sizeof(T) == 4, ops::BinaryImm32, ops::BinaryImm64>
#define BINARY(id, T, R, expr)                          \
  L_##id##_ss : {                                       \
    IN(Binary);                                         \
    T a = rd<T>(S(a));                                  \
    T b = rd<T>(S(b));                                  \
    put<R>(S(dst), R(expr));                            \
    NEXT_INSTR();                                       \
  }                                                     \
  L_##id##_si : {                                       \
    const auto& in = ops::view<TERN_BINARY_IMM(T)>(ip); \
    T a = rd<T>(S(a));                                  \
    T b = ops::imm_as<T>(in.b);                         \
    put<R>(S(dst), R(expr));                            \
    NEXT_INSTR();                                       \
  }
#define BINARY_TRAP(id, T, R, trap_check, expr)         \
  L_##id##_ss : {                                       \
    IN(Binary);                                         \
    T a = rd<T>(S(a));                                  \
    T b = rd<T>(S(b));                                  \
    if (auto t = trap_check) TRAP(*t);                  \
    put<R>(S(dst), R(expr));                            \
    NEXT_INSTR();                                       \
  }                                                     \
  L_##id##_si : {                                       \
    const auto& in = ops::view<TERN_BINARY_IMM(T)>(ip); \
    T a = rd<T>(S(a));                                  \
    T b = ops::imm_as<T>(in.b);                         \
    if (auto t = trap_check) TRAP(*t);                  \
    put<R>(S(dst), R(expr));                            \
    NEXT_INSTR();                                       \
  }
// The fused forms wrap the address sum to 32 bits, as the i32.add they replace does.
#define LOAD(id, M, R)                                                                    \
  L_##id : {                                                                              \
    IN(Load);                                                                             \
    EFFECTIVE_ADDRESS(ea, addr, in.offset, sizeof(M));                                    \
    put<R>(S(dst), R(rd<M>(mem + ea)));                                                   \
    NEXT_INSTR();                                                                         \
  }                                                                                       \
  L_##id##_add_ss : {                                                                     \
    IN(LoadAdd);                                                                          \
    ADDRESS_OF(ea, rd<uint32_t>(S(base)) + rd<uint32_t>(S(index)), in.offset, sizeof(M)); \
    put<R>(S(dst), R(rd<M>(mem + ea)));                                                   \
    NEXT_INSTR();                                                                         \
  }                                                                                       \
  L_##id##_add_si : {                                                                     \
    IN(LoadAddImm);                                                                       \
    ADDRESS_OF(ea, rd<uint32_t>(S(base)) + in.addend, in.offset, sizeof(M));              \
    put<R>(S(dst), R(rd<M>(mem + ea)));                                                   \
    NEXT_INSTR();                                                                         \
  }
#define STORE(id, T, M)                                                                   \
  L_##id : {                                                                              \
    IN(Store);                                                                            \
    EFFECTIVE_ADDRESS(ea, addr, in.offset, sizeof(M));                                    \
    wr<M>(mem + ea, M(rd<T>(S(value))));                                                  \
    NEXT_INSTR();                                                                         \
  }                                                                                       \
  L_##id##_add_ss : {                                                                     \
    IN(StoreAdd);                                                                         \
    ADDRESS_OF(ea, rd<uint32_t>(S(base)) + rd<uint32_t>(S(index)), in.offset, sizeof(M)); \
    wr<M>(mem + ea, M(rd<T>(S(value))));                                                  \
    NEXT_INSTR();                                                                         \
  }                                                                                       \
  L_##id##_add_si : {                                                                     \
    IN(StoreAddImm);                                                                      \
    ADDRESS_OF(ea, rd<uint32_t>(S(base)) + in.addend, in.offset, sizeof(M));              \
    wr<M>(mem + ea, M(rd<T>(S(value))));                                                  \
    NEXT_INSTR();                                                                         \
  }
#include "engine/interp/numeric_ops.def"
#undef TERN_BINARY_IMM

trap : {
  if (pending && pending->code == TrapCode::Exception) {
    thrown = pending->exception;
    pending.reset();
    goto unwind;
  }
  Trap t = pending ? std::move(*pending) : rt::make_trap(trap_code);
  // The trapping frame stopped at the instruction at ip; a caller inside its call instruction,
  // which its return position follows.
  rt::add_backtrace_frame(t, func, wasm_offset_of(*func->code, ip));
  for (uint32_t named = 1; depth > base_depth && named < kMaxBacktraceFrames; ++named) {
    const Frame& caller = frames[--depth];
    rt::add_backtrace_frame(t, caller.func, wasm_offset_of(*caller.func->code, caller.ret_ip - 1));
  }
  m.depth = base_depth;
  m.stack_free = saved_free;
  return t;
}

#undef IN
#undef S
#undef NEXT_INSTR
#undef NEXT
#undef TRAP
#undef REFRESH_MEMORY
#undef STOP_AT
#undef LOAD_INSTANCE
#undef CALL
#undef EFFECTIVE_ADDRESS
#undef ADDRESS_OF
#undef ANY_MEMORY_ADDRESS
}

}  // namespace

}  // namespace tern::interp
