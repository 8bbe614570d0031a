// The helpers of exception handling in compiled code: throw, throw_ref and rethrow leave the
// exception pending for the unwinder (exceptions.h); a landing pad takes it back.
#include <algorithm>

#include "engine/runtime/alloc.h"
#include "engine/runtime/trap.h"
#include "jit/common/helpers.h"

namespace tern::jit::helpers {

uint64_t throw_exception(JitContext* ctx, rt::Instance* inst, uint64_t* values, uint64_t imm) {
  rt::ExnInstance* exn =
      rt::alloc_exn(*ctx->store, inst->tags[imm], reinterpret_cast<const uint8_t*>(values));
  return set_trap(ctx, rt::exception_trap(exn));
}

uint64_t throw_ref(JitContext* ctx, rt::Instance*, uint64_t* values, uint64_t) {
  auto* exn = reinterpret_cast<rt::ExnInstance*>(uintptr_t(values[0]));
  if (!exn) return set_trap(ctx, rt::make_trap(TrapCode::NullReference));
  return set_trap(ctx, rt::exception_trap(exn));
}

uint64_t catch_exception(JitContext* ctx, rt::Instance*, uint64_t* values, uint64_t imm) {
  rt::ExnInstance* exn = (*ctx->trap)->exception;
  ctx->trap->reset();
  ctx->pending = 0;
  size_t words = 0;
  if (imm & kCatchPayload) {
    words = exn->payload.size();
    std::copy(exn->payload.begin(), exn->payload.end(), values);
  }
  if (imm & kCatchExnRef) values[words] = uint64_t(uintptr_t(exn));
  return uint64_t(uintptr_t(exn));
}

}  // namespace tern::jit::helpers
