// Fuzz target bodies, shared by the libFuzzer entry points (fuzz/libfuzzer_entry.cpp) and the
// regression replay test (tests/fuzz/replay_test.cpp). Each returns normally on any input;
// a crash, sanitizer report or violated invariant (abort) is a finding.
#pragma once

#include <cstddef>
#include <cstdint>

// decode_module + validate on arbitrary bytes.
int tern_fuzz_decode(const uint8_t* data, size_t size);
// text::parse_wast and text::wat_to_binary on arbitrary text; a module the text reader encodes
// must then decode (it is the reader's own output).
int tern_fuzz_text(const uint8_t* data, size_t size);
// Module::compile, instantiate with stub imports, call every exported function with zero
// arguments, under fuel and small limits.
int tern_fuzz_instantiate(const uint8_t* data, size_t size);
// A Config and StoreLimits chosen by the input (any max_call_depth included), then calls into
// fixed modules that recurse, grow a memory and grow a table; only documented failures.
int tern_fuzz_config(const uint8_t* data, size_t size);
// WASI path resolution (wasi::os::open_beneath / open_beneath_walk / resolve_parent) on
// arbitrary paths against a scratch preopen; anything opened must lie beneath it.
int tern_fuzz_wasi_path(const uint8_t* data, size_t size);
// Sequences of WASI calls from a guest with wild pointers, lengths, descriptors, flags and
// paths, against a scratch preopen and stdio that blocks, under a 20 ms deadline: nothing
// outside the preopen changes, the calls return errnos or trap with proc_exit's or the
// deadline's trap, and the deadline ends every wait.
int tern_fuzz_wasi_calls(const uint8_t* data, size_t size);
// A valid compiled-module cache (Module::serialize of a fixed module) truncated, with bytes
// flipped and optionally resealed with a matching checksum, as the input says; then
// Module::deserialize. A corrupt cache must be rejected unless resealed; the unchanged one must
// load and run; a resealed one that loads is not run.
int tern_fuzz_module_cache(const uint8_t* data, size_t size);

// A violated invariant: prints `what` and aborts, so both libFuzzer and Catch2 see it.
[[noreturn]] void tern_fuzz_fail(const char* what);
