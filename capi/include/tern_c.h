/* Tern's additions to the standard C API (wasm.h): what the standard leaves out, namely the
 * tier, fuel, interruption, store limits and the text format. docs/c-api.md describes them. */
#ifndef TERN_C_H
#define TERN_C_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <wasm.h>

/* Exported from libtern.so, which is built with hidden visibility. */
#pragma GCC visibility push(default)

#ifdef __cplusplus
extern "C" {
#endif

/* Which tier compiles and runs the engine's modules. AUTO (the default) is the JIT where the
 * build has it, falling back to the interpreter for what the JIT rejects (SIMD, for now);
 * JIT_LAZY compiles each function on its first call. */
typedef enum tern_tier_t {
  TERN_TIER_AUTO,
  TERN_TIER_INTERP,
  TERN_TIER_JIT,
  TERN_TIER_JIT_LAZY,
} tern_tier_t;

/* False, leaving the config as it was, when this build has no such tier. */
bool tern_config_set_tier(wasm_config_t*, tern_tier_t);
/* Fuel metering: every instruction costs a unit, and a store traps with "all fuel consumed"
 * when its fuel (tern_store_set_fuel) runs out. Off by default. */
void tern_config_set_consume_fuel(wasm_config_t*, bool);
/* The deepest wasm call nesting: 1 to 2^30 (default 20000); false for a value outside. */
bool tern_config_set_max_call_depth(wasm_config_t*, uint32_t);

void tern_store_set_fuel(wasm_store_t*, uint64_t fuel);
/* False when the store is not metered (no fuel was ever set). */
bool tern_store_get_fuel(const wasm_store_t*, uint64_t* fuel);
/* From any thread: wasm running in the store traps with "interrupted" soon after (and a call
 * that starts later, if none was running). */
void tern_store_interrupt(wasm_store_t*);
/* Caps for the store's memories (pages each), tables (elements each) and instances, applied to
 * creations and grows from now on. */
void tern_store_set_limits(wasm_store_t*, uint64_t memory_pages, uint64_t table_elements,
                           uint32_t instances);

/* The text format to a binary module. On failure `out` is empty and `error` (if given) holds a
 * NUL-terminated message with the line and column; builds without the text reader always fail. */
bool tern_wat_to_wasm(const char* text, size_t size, wasm_byte_vec_t* out, wasm_message_t* error);

#ifdef __cplusplus
}
#endif

#pragma GCC visibility pop

#endif
