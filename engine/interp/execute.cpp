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

#include "engine/interp/machine.h"
#include "engine/interp/simd.h"
#include "engine/interp/simd_memory.h"
#include "engine/numerics.h"
#include "engine/runtime/host_call.h"
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
template <class T>
inline T imm(const Unit* p) {
  return rd<T>(reinterpret_cast<const uint8_t*>(p));
}
template <class T>
constexpr uint32_t units_of() {
  return sizeof(T) <= 4 ? 1 : 2;
}

const int32_t* g_handler_offsets = nullptr;

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
#define TERN_X(name) TERN_OFFSET(L_##name),
      TERN_INTERP_FIXED_OPS(TERN_X)
#undef TERN_X
#define TERN_X(cmp, T, op) TERN_OFFSET(L_Br##cmp##_ss), TERN_OFFSET(L_Br##cmp##_si),
      TERN_INTERP_BRANCH_COMPARES(TERN_X)
#undef TERN_X
#define UNARY(id, T, R, expr) TERN_OFFSET(L_##id),
#define BINARY(id, T, R, expr) TERN_OFFSET(L_##id##_ss), TERN_OFFSET(L_##id##_si),
#define LOAD(id, M, R) \
  TERN_OFFSET(L_##id), TERN_OFFSET(L_##id##_add_ss), TERN_OFFSET(L_##id##_add_si),
#define STORE(id, T, M) \
  TERN_OFFSET(L_##id), TERN_OFFSET(L_##id##_add_ss), TERN_OFFSET(L_##id##_add_si),
#include "engine/interp/numeric_ops.def"
  };
#undef TERN_OFFSET
  static_assert(sizeof(kOffsets) / sizeof(kOffsets[0]) == kOpCount);
  if (!mp) {
    g_handler_offsets = kOffsets;
    return std::nullopt;
  }
  Machine& m = *mp;
  char* const base_label = static_cast<char*>(&&L_Unreachable);

  rt::FuncInstance* func = entry;
  uint8_t* fp = entry_fp;
  const Unit* ip = nullptr;
  Frame* const frames = m.frames.get();
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
  std::optional<Trap> pending;  // a trap coming back from a host function

  // Call state shared by call and call_indirect.
  rt::FuncInstance* callee = nullptr;
  uint8_t* args = nullptr;
  const Unit* ret_ip = nullptr;

#define S(k) (fp + ip[k])
#define NEXT(n)                            \
  do {                                     \
    ip += (n);                             \
    goto*(base_label + int32_t(*ip));    \
  } while (0)
#define TRAP(code)        \
  do {                    \
    trap_code = (code);   \
    goto trap;            \
  } while (0)
#define REFRESH_MEMORY()           \
  do {                             \
    if (mem0) {                    \
      mem = mem0->base;            \
      mem_size = mem0->size_bytes; \
    }                              \
  } while (0)
#define LOAD_INSTANCE()                                                  \
  do {                                                                   \
    inst = func->instance;                                               \
    mem0 = inst->memories.empty() ? nullptr : inst->memories[0];         \
    mem = nullptr;                                                       \
    mem_size = 0;                                                        \
    REFRESH_MEMORY();                                                    \
  } while (0)
// Effective address of an access of `n` bytes at the u32 `addr`; traps when any byte is out of
// bounds. The offset is below 2^32, so the sum cannot overflow.
#define ADDRESS_OF(ea, addr, offset, n)                   \
  uint64_t ea = uint64_t(uint32_t(addr)) + (offset);      \
  if (ea + (n) > mem_size) TRAP(TrapCode::MemoryOutOfBounds)
// The same with the address in slot operand `addr_k`.
#define EFFECTIVE_ADDRESS(ea, addr_k, offset, n) \
  ADDRESS_OF(ea, rd<uint32_t>(S(addr_k)), offset, n)


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
  NEXT(1);
interrupted:
  // Delivered once: the embedder may call again after an interruption.
  interrupt.store(false, std::memory_order_relaxed);
  TRAP(TrapCode::Interrupted);

L_Fuel:
  if (fuel) {
    if (*fuel < ip[1]) {
      *fuel = 0;
      TRAP(TrapCode::OutOfFuel);
    }
    *fuel -= ip[1];
  }
  NEXT(2);

L_Jmp:
  NEXT(int32_t(ip[1]));
L_BrIf:
  if (rd<uint32_t>(S(1))) NEXT(int32_t(ip[2]));
  NEXT(3);
L_BrUnless:
  if (!rd<uint32_t>(S(1))) NEXT(int32_t(ip[2]));
  NEXT(3);
L_BrTable: {
  uint32_t i = std::min(rd<uint32_t>(S(1)), ip[2]);
  NEXT(int32_t(ip[3 + i]));
}

#define TERN_X(cmp, T, op)                                             \
  L_Br##cmp##_ss:                                                      \
  if (T(rd<std::make_unsigned_t<T>>(S(1))) op T(rd<std::make_unsigned_t<T>>(S(2)))) \
    NEXT(int32_t(ip[3]));                                              \
  NEXT(4);                                                             \
  L_Br##cmp##_si:                                                      \
  if (T(rd<std::make_unsigned_t<T>>(S(1))) op T(imm<std::make_unsigned_t<T>>(ip + 2))) \
    NEXT(int32_t(ip[2 + units_of<T>()]));                              \
  NEXT(3 + units_of<T>());
  TERN_INTERP_BRANCH_COMPARES(TERN_X)
#undef TERN_X

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

L_Call:
  callee = inst->funcs[ip[1]];
  args = fp + ip[2];
  ret_ip = ip + 3;
  goto do_call;

L_CallIndirect: {
  rt::TableInstance* table = inst->tables[ip[2]];
  uint32_t i = rd<uint32_t>(S(3));
  if (i >= table->elems.size()) TRAP(TrapCode::UndefinedElement);
  callee = static_cast<rt::FuncInstance*>(table->elems[i]);
  if (!callee) TRAP(TrapCode::UninitializedElement);
  if (callee->type_id != inst->module->type_ids[ip[1]]) {
    TRAP(TrapCode::IndirectCallTypeMismatch);
  }
  args = fp + ip[4];
  ret_ip = ip + 5;
  goto do_call;
}

do_call:
  if (!callee->code) {  // a host function, or one the JIT compiled

    m.depth = depth + 1;
    m.stack_free = fp + func->code->frame_bytes;
    pending = rt::call_host(*m.store, callee, inst, args);
    m.depth = base_depth;
    if (pending) goto trap;
    fuel = m.store->fuel ? &*m.store->fuel : nullptr;
    REFRESH_MEMORY();
    ip = ret_ip;
    NEXT(0);
  }
  {
    // Function entry is one of the two places an interrupt is noticed (loop headers the other).
    if (interrupt.load(std::memory_order_relaxed)) goto interrupted;
    if (depth + 1 >= max_depth) TRAP(TrapCode::CallStackExhausted);
    const FuncCode* cc = callee->code;
    if (args + cc->frame_bytes > stack_end) TRAP(TrapCode::CallStackExhausted);
    frames[depth++] = Frame{ret_ip, fp, func};
    fp = args;
    func = callee;
    zero_locals(fp, cc);
    if (callee->instance != inst) LOAD_INSTANCE();
    ip = cc->code.data();
  }
  NEXT(0);

L_Copy64:
  std::memcpy(S(1), S(2), 8);
  NEXT(3);
L_Copy128:
  std::memmove(S(1), S(2), 16);
  NEXT(3);
L_Const32:
  put<uint32_t>(S(1), ip[2]);
  NEXT(3);
L_Const64:
  wr<uint64_t>(S(1), imm<uint64_t>(ip + 2));
  NEXT(4);
L_Const128:
  std::memcpy(S(1), ip + 2, 16);
  NEXT(6);
L_Select64:
  wr<uint64_t>(S(1), rd<uint64_t>(rd<uint32_t>(S(4)) ? S(2) : S(3)));
  NEXT(5);
L_Select128: {
  V128 v = rd<V128>(rd<uint32_t>(S(4)) ? S(2) : S(3));
  wr<V128>(S(1), v);
  NEXT(5);
}

L_GlobalGet64:
  std::memcpy(S(1), &inst->globals[ip[2]]->value, 8);
  NEXT(3);
L_GlobalGet128:
  std::memcpy(S(1), &inst->globals[ip[2]]->value, 16);
  NEXT(3);
L_GlobalSet64:
  std::memcpy(&inst->globals[ip[2]]->value, S(1), 8);
  NEXT(3);
L_GlobalSet128:
  std::memcpy(&inst->globals[ip[2]]->value, S(1), 16);
  NEXT(3);

L_MemorySize:
  put<uint32_t>(S(1), uint32_t(mem_size / kPageSize));
  NEXT(2);
L_MemoryGrow: {
  int64_t old = mem0->grow(rd<uint32_t>(S(2)));
  REFRESH_MEMORY();
  put<uint32_t>(S(1), uint32_t(old));
  NEXT(3);
}
L_MemoryInit: {
  std::span<const uint8_t> data = inst->data_segments[ip[1]];
  uint64_t d = rd<uint32_t>(S(2)), s = rd<uint32_t>(S(3)), n = rd<uint32_t>(S(4));
  if (s + n > data.size() || d + n > mem_size) TRAP(TrapCode::MemoryOutOfBounds);
  if (n) std::memcpy(mem + d, data.data() + s, n);
  NEXT(5);
}
L_DataDrop:
  inst->data_segments[ip[1]] = {};
  NEXT(2);
L_MemoryCopy: {
  uint64_t d = rd<uint32_t>(S(1)), s = rd<uint32_t>(S(2)), n = rd<uint32_t>(S(3));
  if (s + n > mem_size || d + n > mem_size) TRAP(TrapCode::MemoryOutOfBounds);
  if (n) std::memmove(mem + d, mem + s, n);
  NEXT(4);
}
L_MemoryFill: {
  uint64_t d = rd<uint32_t>(S(1)), n = rd<uint32_t>(S(3));
  if (d + n > mem_size) TRAP(TrapCode::MemoryOutOfBounds);
  if (n) std::memset(mem + d, int(rd<uint32_t>(S(2)) & 0xFF), n);
  NEXT(4);
}

L_TableGet: {
  const rt::TableInstance* t = inst->tables[ip[2]];
  uint32_t i = rd<uint32_t>(S(3));
  if (i >= t->elems.size()) TRAP(TrapCode::TableOutOfBounds);
  wr<Ref>(S(1), t->elems[i]);
  NEXT(4);
}
L_TableSet: {
  rt::TableInstance* t = inst->tables[ip[1]];
  uint32_t i = rd<uint32_t>(S(2));
  if (i >= t->elems.size()) TRAP(TrapCode::TableOutOfBounds);
  t->elems[i] = rd<Ref>(S(3));
  NEXT(4);
}
L_TableSize:
  put<uint32_t>(S(1), uint32_t(inst->tables[ip[2]]->elems.size()));
  NEXT(3);
L_TableGrow: {
  int64_t old = inst->tables[ip[2]]->grow(rd<uint32_t>(S(4)), rd<Ref>(S(3)));
  put<uint32_t>(S(1), uint32_t(old));
  NEXT(5);
}
L_TableFill: {
  rt::TableInstance* t = inst->tables[ip[1]];
  uint64_t i = rd<uint32_t>(S(2)), n = rd<uint32_t>(S(4));
  if (i + n > t->elems.size()) TRAP(TrapCode::TableOutOfBounds);
  std::fill_n(t->elems.begin() + i, n, rd<Ref>(S(3)));
  NEXT(5);
}
L_TableCopy: {
  rt::TableInstance* dt = inst->tables[ip[1]];
  const rt::TableInstance* st = inst->tables[ip[2]];
  uint64_t d = rd<uint32_t>(S(3)), s = rd<uint32_t>(S(4)), n = rd<uint32_t>(S(5));
  if (s + n > st->elems.size() || d + n > dt->elems.size()) TRAP(TrapCode::TableOutOfBounds);
  if (n) std::memmove(dt->elems.data() + d, st->elems.data() + s, n * sizeof(Ref));
  NEXT(6);
}
L_TableInit: {
  const std::vector<Ref>& seg = inst->elem_segments[ip[1]];
  rt::TableInstance* t = inst->tables[ip[2]];
  uint64_t d = rd<uint32_t>(S(3)), s = rd<uint32_t>(S(4)), n = rd<uint32_t>(S(5));
  if (s + n > seg.size() || d + n > t->elems.size()) TRAP(TrapCode::TableOutOfBounds);
  std::copy_n(seg.begin() + s, n, t->elems.begin() + d);
  NEXT(6);
}
L_ElemDrop:
  inst->elem_segments[ip[1]].clear();
  NEXT(2);

L_RefIsNull:
  put<uint32_t>(S(1), rd<Ref>(S(2)) == nullptr);
  NEXT(3);
L_RefFunc:
  wr<Ref>(S(1), inst->funcs[ip[2]]);
  NEXT(3);

#include "engine/interp/execute_simd.inc"

#define UNARY(id, T, R, expr)  \
  L_##id : {                   \
    T a = rd<T>(S(2));         \
    put<R>(S(1), R(expr));      \
    NEXT(3);                   \
  }
#define UNARY_TRAP(id, T, R, trap_check, expr)     \
  L_##id : {                                       \
    T a = rd<T>(S(2));                             \
    if (auto t = trap_check) TRAP(*t);             \
    put<R>(S(1), R(expr));                          \
    NEXT(3);                                       \
  }
#define BINARY(id, T, R, expr)        \
  L_##id##_ss : {                     \
    T a = rd<T>(S(2));                \
    T b = rd<T>(S(3));                \
    put<R>(S(1), R(expr));             \
    NEXT(4);                          \
  }                                   \
  L_##id##_si : {                     \
    T a = rd<T>(S(2));                \
    T b = imm<T>(ip + 3);             \
    put<R>(S(1), R(expr));             \
    NEXT(3 + units_of<T>());          \
  }
#define BINARY_TRAP(id, T, R, trap_check, expr) \
  L_##id##_ss : {                               \
    T a = rd<T>(S(2));                          \
    T b = rd<T>(S(3));                          \
    if (auto t = trap_check) TRAP(*t);          \
    put<R>(S(1), R(expr));                       \
    NEXT(4);                                    \
  }                                             \
  L_##id##_si : {                               \
    T a = rd<T>(S(2));                          \
    T b = imm<T>(ip + 3);                       \
    if (auto t = trap_check) TRAP(*t);          \
    put<R>(S(1), R(expr));                       \
    NEXT(3 + units_of<T>());                    \
  }
// The fused forms wrap the address sum to 32 bits, as the i32.add they replace does.
#define LOAD(id, M, R)                                                          \
  L_##id : {                                                                    \
    EFFECTIVE_ADDRESS(ea, 2, ip[3], sizeof(M));                                 \
    put<R>(S(1), R(rd<M>(mem + ea)));                                           \
    NEXT(4);                                                                    \
  }                                                                             \
  L_##id##_add_ss : {                                                           \
    ADDRESS_OF(ea, rd<uint32_t>(S(2)) + rd<uint32_t>(S(3)), ip[4], sizeof(M));  \
    put<R>(S(1), R(rd<M>(mem + ea)));                                           \
    NEXT(5);                                                                    \
  }                                                                             \
  L_##id##_add_si : {                                                           \
    ADDRESS_OF(ea, rd<uint32_t>(S(2)) + ip[3], ip[4], sizeof(M));               \
    put<R>(S(1), R(rd<M>(mem + ea)));                                           \
    NEXT(5);                                                                    \
  }
#define STORE(id, T, M)                                                         \
  L_##id : {                                                                    \
    EFFECTIVE_ADDRESS(ea, 1, ip[3], sizeof(M));                                 \
    wr<M>(mem + ea, M(rd<T>(S(2))));                                            \
    NEXT(4);                                                                    \
  }                                                                             \
  L_##id##_add_ss : {                                                           \
    ADDRESS_OF(ea, rd<uint32_t>(S(1)) + rd<uint32_t>(S(2)), ip[4], sizeof(M));  \
    wr<M>(mem + ea, M(rd<T>(S(3))));                                            \
    NEXT(5);                                                                    \
  }                                                                             \
  L_##id##_add_si : {                                                           \
    ADDRESS_OF(ea, rd<uint32_t>(S(1)) + ip[2], ip[4], sizeof(M));               \
    wr<M>(mem + ea, M(rd<T>(S(3))));                                            \
    NEXT(5);                                                                    \
  }
#include "engine/interp/numeric_ops.def"

trap: {
  Trap t = pending ? std::move(*pending) : rt::make_trap(trap_code);
  rt::add_backtrace_frame(t, func);
  while (depth > base_depth) rt::add_backtrace_frame(t, frames[--depth].func);
  m.depth = base_depth;
  m.stack_free = saved_free;
  return t;
}

#undef S
#undef NEXT
#undef TRAP
#undef REFRESH_MEMORY
#undef LOAD_INSTANCE
#undef EFFECTIVE_ADDRESS
#undef ADDRESS_OF
}

}  // namespace

}  // namespace tern::interp
