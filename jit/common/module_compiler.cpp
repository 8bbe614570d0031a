#include "jit/common/module_compiler.h"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <optional>
#include <system_error>
#include <thread>

#include "engine/runtime/alloc.h"
#include "engine/runtime/trap.h"
#include "engine/validator/parallel_validation.h"
#include "jit/common/code_buffer.h"
#include "jit/common/func_compiler.h"
#include "jit/common/perf_map.h"
#include "jit/common/runtime_layout.h"

namespace tern::jit {

// A lazily compiled module's source: the CompiledModule owns the JitModule, so it outlives it.
struct LazySource {
  const rt::CompiledModule* module = nullptr;
  Config config;
  std::mutex mutex;                // one compilation at a time per module
  std::vector<const void*> stubs;  // per defined function: its entry until compiled
};

namespace {

// Rejects, before any code is generated, what FuncCompiler cannot compile: SIMD the backend does
// not compile on this host (backend_compiles_simd), and with none of it, v128 values at all.
// Lazy compilation runs it so that Module::compile still fails (or, with Tier::Auto, leaves the
// module to the interpreter) rather than the first call. What remains is a frame too large for
// the JIT (over 2^24 slots), which traps at the function's first call.
class SupportCheck final : public FuncConsumer {
 public:
  void begin(const ModuleInfo& module, uint32_t, const FuncType& type,
             std::span<const ValType> locals) override {
    module_ = &module;
    if (!v128_ &&
        (std::ranges::any_of(locals, is_v128) || std::ranges::any_of(type.results, is_v128))) {
      error_ = Error::invalid("jit: v128 values are not compiled on this host");
    }
  }
  void instr(const Instr& in, std::span<const ValType> popped, std::span<const ValType> pushed,
             bool) override {
    if (error_) return;
    if (info(in.op).prefix == 0xFD && !backend_compiles_simd(in.op)) {
      error_ = simd_refusal(in);
    } else if (!v128_ && (std::ranges::any_of(popped, is_v128) ||
                          std::ranges::any_of(pushed, is_v128) || catches_v128(in))) {
      error_ = Error::invalid(
          "jit: v128 values are not compiled on this host ('" + std::string(name_of(in.op)) + "')",
          in.offset);
    }
  }
  std::optional<Error> finish() override { return error_; }

 private:
  static bool is_v128(ValType t) { return t == ValType::V128; }
  // A catch of a tag with v128 parameters (its payload is v128 values).
  bool catches_v128(const Instr& in) const {
    auto tag_has_v128 = [&](uint32_t tag) {
      return std::ranges::any_of(module_->types[module_->tags[tag]].params, is_v128);
    };
    if (in.op == Opcode::Catch) return tag_has_v128(in.index);
    if (in.op != Opcode::TryTable) return false;
    for (size_t i = 0; i + kCatchUnits <= in.targets.size(); i += kCatchUnits) {
      auto kind = CatchKind(in.targets[i]);
      bool has_tag = kind == CatchKind::Catch || kind == CatchKind::CatchRef;
      if (has_tag && tag_has_v128(in.targets[i + 1])) return true;
    }
    return false;
  }

  // v128 values need the backend's SIMD moves, which come with v128.const.
  const bool v128_ = backend_compiles_simd(Opcode::V128Const);
  const ModuleInfo* module_ = nullptr;
  std::optional<Error> error_;
};

// The lazy stubs' LazyCompile: compiles defined function `imm` of the instance's module into a
// block of its own, once, and points its entry at it.
const void* compile_on_first_call(JitContext* ctx, rt::Instance* inst, uint64_t*, uint64_t imm) {
  const JitModule& jm = *jit_module_of(*inst->module);
  LazySource& source = *jm.lazy;
  uint32_t defined = uint32_t(imm);
  std::lock_guard lock(source.mutex);
  const void* code = jm.code_of(defined);
  if (code != source.stubs[defined]) return code;  // another thread compiled it meanwhile
  std::unique_ptr<ModuleAssembler> masm = make_module_assembler(false);
  FuncCompiler compiler(*masm, *source.module, {}, 0, jm.entries.get(), jm.fuel_cells,
                        source.config);
  CodeBlock block;
  // Called from compiled code, which an exception must not unwind through.
  Result<void> done = rt::guard_allocation("the function's native code", [&] {
    Result<void> r = validate_function(source.module->info, defined, &compiler);
    if (r) r = masm->finalize(block);
    return r;
  });
  if (!done) {
    set_trap(ctx, rt::host_error(done.error().to_string()));
    return nullptr;
  }
  block.first_func = defined;
  code = block.code + block.func_offsets[0];
  if (source.config.profiler == Profiler::PerfMap) {
    PerfMapBatch map;
    map.add_functions(source.module->info, block);
    map.write();
  }
  jm.add_block(std::move(block));
  jm.entries[defined].store(code, std::memory_order_release);
  return code;
}

// For reserving the code buffer up front (Yosys: 75 MB of x86-64 code from 28 MB of function
// bodies); an underestimate only costs a regrowth, reserve beyond what is used stays virtual.
constexpr size_t kCodeBytesPerWasmByte = 3;
constexpr size_t kStubBytes = 32;
// Function bodies (bytes) past which Config::compile_threads = 0 compiles on every core: below
// it, threads cost more than they save and every call stays a direct one.
constexpr uint64_t kParallelThreshold = uint64_t(1) << 20;
// Function bodies (bytes) per chunk at most, on any number of threads: asmjit assembles a few
// megabytes at a time faster than tens (measured on Yosys: a quarter of its 28 MB per chunk
// took 7% less CPU than all of it in one), and more chunks than threads balance the load.
constexpr uint64_t kChunkBytes = uint64_t(4) << 20;
// Defined functions per chunk, about: the assembler keeps each function's labels and trap
// stubs until its chunk is finalized, so a module of a million empty functions in one chunk
// held all of that at once (docs/limits.md has the measurements).
constexpr uint64_t kChunkFuncs = uint64_t(1) << 16;

uint32_t thread_count(const Config& config, uint64_t body_bytes) {
  if (config.compile_threads) return config.compile_threads;
  if (body_bytes <= kParallelThreshold) return 1;
  return std::max(1u, std::thread::hardware_concurrency());
}

// Splits the defined functions into `parts` (at most one per function) contiguous ranges of
// about equal body bytes: chunk c is [bounds[c], bounds[c + 1]).
std::vector<uint32_t> split_by_size(const std::vector<FuncBody>& bodies, uint64_t total,
                                    uint32_t parts) {
  uint32_t n = uint32_t(bodies.size());
  parts = std::max(1u, std::min(parts, n));
  std::vector<uint32_t> bounds{0};
  uint64_t done = 0;
  for (uint32_t i = 0; i + 1 < n && bounds.size() < parts; ++i) {
    done += bodies[i].size;
    uint64_t cut = bounds.size();  // the next boundary, after a share of `cut` / `parts`
    uint32_t left = n - (i + 1), chunks_left = parts - uint32_t(cut);
    if (left == chunks_left || (left > chunks_left && done * parts >= total * cut)) {
      bounds.push_back(i + 1);
    }
  }
  bounds.push_back(n);
  return bounds;
}

// Points `out` at its entry trampoline and the unwinder's routines beside it, once finalized.
void set_trampolines(JitModule& out, const ModuleAssembler& masm, Label trampoline, Label resume,
                     Label leave) {
  out.entry = reinterpret_cast<JitModule::Entry>(masm.address_of(trampoline));
  out.resume = reinterpret_cast<void (*)(const ResumePoint*)>(masm.address_of(resume));
  out.leave_activation = reinterpret_cast<void (*)(uintptr_t)>(masm.address_of(leave));
}

// One contiguous range of defined functions assembled into a block of its own. Calls within it
// are direct; a call to a function of another chunk goes through the module's code table.
class Chunk {
 public:
  Chunk(uint32_t begin, uint32_t end) : begin_(begin), end_(end) {}

  // Compiles the chunk into `out`'s entries and a block of `out` (with the entry trampoline
  // if `with_trampoline`). Gives up early once `first_failed` names an earlier chunk, whose
  // error is the one reported.
  void compile(const rt::CompiledModule& module, const Config& config, JitModule& out,
               std::deque<uint64_t>& fuel_cells, bool with_trampoline, std::string* listing,
               uint32_t index, std::atomic<uint32_t>& first_failed) {
    const ModuleInfo& info = module.info;
    size_t code_size_hint = 0;
    for (uint32_t i = begin_; i < end_; ++i) {
      code_size_hint += info.bodies[i].size * kCodeBytesPerWasmByte;
    }
    std::unique_ptr<ModuleAssembler> masm =
        make_module_assembler(listing != nullptr, code_size_hint);
    Label trampoline = masm->new_label();
    Label resume = masm->new_label(), leave = masm->new_label();
    if (with_trampoline) masm->entry_trampoline(trampoline, resume, leave);
    std::vector<Label> labels;
    labels.reserve(end_ - begin_);
    for (uint32_t i = begin_; i < end_; ++i) labels.push_back(masm->new_label());
    for (uint32_t i = begin_; i < end_; ++i) {
      if (first_failed.load(std::memory_order_relaxed) < index) return;
      FuncCompiler compiler(*masm, module, labels, begin_, out.entries.get(), fuel_cells, config);
      if (!fail_on(validate_function(info, i, &compiler), index, first_failed)) return;
    }
    CodeBlock block;
    if (!fail_on(masm->finalize(block), index, first_failed)) return;
    block.first_func = begin_;
    if (with_trampoline) set_trampolines(out, *masm, trampoline, resume, leave);
    if (config.profiler == Profiler::PerfMap) {
      PerfMapBatch map;
      if (with_trampoline) {  // and the unwinder's routines beside it, before the functions
        map.add(block.code, block.func_offsets.empty() ? block.size : block.func_offsets[0],
                "tern::entry_trampoline");
      }
      map.add_functions(info, block);
      map.write();
    }
    for (uint32_t i = begin_; i < end_; ++i) {
      out.entries[i].store(masm->address_of(labels[i - begin_]), std::memory_order_relaxed);
    }
    out.add_block(std::move(block));
    if (listing) *listing = masm->listing();
  }

  const std::optional<Error>& error() const { return error_; }

  // Keeps the error of `r`, if any, and lowers `first_failed` to `index`; false on an error.
  bool fail_on(Result<void> r, uint32_t index, std::atomic<uint32_t>& first_failed) {
    if (r) return true;
    error_ = r.take_error();
    uint32_t seen = first_failed.load(std::memory_order_relaxed);
    while (index < seen && !first_failed.compare_exchange_weak(seen, index)) {
    }
    return false;
  }

 private:
  uint32_t begin_, end_;
  std::optional<Error> error_;
};

// Rejects the module-level constructs this tier cannot compile with this standard library:
// memories other than memory 0 and memory64's bounds are read through the runtime's vectors
// (runtime_layout.h), so where their layout is not {begin, end}, more than one memory and 64-bit
// memories or tables are left to the interpreter (Tier::Auto) or refused (Tier::Jit).
std::optional<Error> unsupported_module_construct(const ModuleInfo& info) {
  if (runtime_layout().vectors_readable) return std::nullopt;
  if (info.memories.size() > 1) {
    return Error::invalid("jit: more than one memory (the multi-memory proposal) is not supported");
  }
  for (const MemoryType& m : info.memories) {
    if (m.addr == AddrType::I64) {
      return Error::invalid("jit: 64-bit memories (the memory64 proposal) are not supported");
    }
  }
  for (const TableType& t : info.tables) {
    if (t.addr == AddrType::I64) {
      return Error::invalid("jit: 64-bit tables (the memory64 proposal) are not supported");
    }
  }
  return std::nullopt;
}

// Config::lazy_compile: a stub per function, which compiles it on its first call.
Result<std::shared_ptr<JitModule>> compile_lazily(const rt::CompiledModule& module,
                                                  const Config& config, std::string* listing) {
  const ModuleInfo& info = module.info;
  uint32_t num_funcs = info.num_defined_funcs();
  // Every body is still validated up front (a module must be valid before it is instantiated),
  // on every core, as that is most of the start-up of a large module compiled lazily.
  TERN_TRY(validate_functions(info, config.compile_threads,
                              [&](uint32_t) { return std::make_unique<SupportCheck>(); }));
  auto out = std::make_shared<JitModule>(num_funcs);
  out->num_imported_funcs = info.num_imported_funcs;
  std::unique_ptr<ModuleAssembler> masm =
      make_module_assembler(listing != nullptr, uint64_t(num_funcs) * kStubBytes);
  Label trampoline = masm->new_label();
  Label resume = masm->new_label(), leave = masm->new_label();
  masm->entry_trampoline(trampoline, resume, leave);
  std::vector<Label> labels;
  labels.reserve(num_funcs);
  for (uint32_t i = 0; i < num_funcs; ++i) labels.push_back(masm->new_label());
  Label failed = masm->new_label();
  for (uint32_t i = 0; i < num_funcs; ++i) {
    masm->lazy_stub(labels[i], i, compile_on_first_call, failed);
  }
  masm->bind(failed);
  masm->raise_pending_trap();
  out->lazy = std::make_shared<LazySource>();
  out->lazy->module = &module;
  out->lazy->config = config;
  CodeBlock block;
  TERN_TRY(masm->finalize(block));
  set_trampolines(*out, *masm, trampoline, resume, leave);
  for (uint32_t i = 0; i < num_funcs; ++i) {
    out->entries[i].store(masm->address_of(labels[i]), std::memory_order_relaxed);
    out->lazy->stubs.push_back(masm->address_of(labels[i]));
  }
  if (config.profiler == Profiler::PerfMap) {
    // Each stub runs once, on its function's first call: one range names them all.
    const uint8_t* stubs = num_funcs ? static_cast<const uint8_t*>(masm->address_of(labels[0]))
                                     : block.code + block.size;
    PerfMapBatch map;
    map.add(block.code, size_t(stubs - block.code), "tern::entry_trampoline");
    map.add(stubs, size_t(block.code + block.size - stubs), "tern::lazy_compile_stubs");
    map.write();
  }
  out->add_block(std::move(block));
  register_code(out.get());
  if (listing) *listing = masm->listing();
  return out;
}

}  // namespace

Result<std::shared_ptr<JitModule>> compile_module(const rt::CompiledModule& module,
                                                  const Config& config, std::string* listing) {
  if (std::optional<Error> e = unsupported_module_construct(module.info)) return std::move(*e);
  if (config.profiler == Profiler::PerfMap) use_anonymous_code_memory();
  if (config.lazy_compile) return compile_lazily(module, config, listing);
  const ModuleInfo& info = module.info;
  uint32_t num_funcs = info.num_defined_funcs();
  auto out = std::make_shared<JitModule>(num_funcs);
  out->num_imported_funcs = info.num_imported_funcs;
  out->meters_fuel = config.consume_fuel;
  uint64_t body_bytes = 0;
  for (const FuncBody& body : info.bodies) body_bytes += body.size;
  // A listing is of one block.
  uint32_t threads = listing ? 1 : thread_count(config, body_bytes);
  uint32_t parts =
      listing ? 1
              : uint32_t(std::max({uint64_t(threads), (body_bytes + kChunkBytes - 1) / kChunkBytes,
                                   (num_funcs + kChunkFuncs - 1) / kChunkFuncs}));
  // A multiple of the threads, so that none idles while another compiles the last chunk
  // (Yosys: 7 chunks on 2 threads left one thread a whole chunk alone).
  parts = (parts + threads - 1) / threads * threads;
  std::vector<uint32_t> bounds = split_by_size(info.bodies, body_bytes, parts);
  std::vector<Chunk> chunks;
  for (size_t c = 0; c + 1 < bounds.size(); ++c) chunks.emplace_back(bounds[c], bounds[c + 1]);
  out->chunk_fuel_cells.resize(chunks.size());
  std::atomic<uint32_t> first_failed{UINT32_MAX};
  // Each thread takes the next chunk not yet taken. With several, the caller only waits: its
  // heap (glibc's main arena) gives memory back on every free, and measured on Yosys the same
  // chunks then cost it a quarter more CPU than a thread of its own.
  std::atomic<uint32_t> next_chunk{0};
  auto compile_chunk = [&](uint32_t c) {
    chunks[c].compile(module, config, *out, out->chunk_fuel_cells[c], c == 0, listing, c,
                      first_failed);
    return Result<void>();
  };
  auto compile_chunks = [&] {
    for (uint32_t c; (c = next_chunk.fetch_add(1)) < chunks.size();) {
      // On a worker thread an escaping exception would end the process.
      chunks[c].fail_on(
          rt::guard_allocation("the module's native code", [&] { return compile_chunk(c); }), c,
          first_failed);
    }
  };
  if (threads > 1 && chunks.size() > 1) {
    std::vector<std::jthread> workers;
    for (uint32_t t = 0; t < std::min<size_t>(threads, chunks.size()); ++t) {
      try {
        workers.emplace_back(compile_chunks);
      } catch (const std::system_error&) {  // no thread to be had: the others do its share
        break;
      }
    }
    if (workers.empty()) compile_chunks();
  } else {
    compile_chunks();
  }
  for (const Chunk& chunk : chunks) {
    if (chunk.error()) return *chunk.error();
  }
  register_code(out.get());
  return out;
}

}  // namespace tern::jit
