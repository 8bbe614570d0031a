#include "jit/common/module_compiler.h"

#include <algorithm>
#include <mutex>

#include "engine/interp/machine.h"
#include "engine/validator/validator.h"
#include "jit/common/func_compiler.h"

namespace tern::jit {

// A lazily compiled module's source: the CompiledModule owns the JitModule, so it outlives it.
struct LazySource {
  const rt::CompiledModule* module = nullptr;
  Config config;
  std::mutex mutex;                // one compilation at a time per module
  std::vector<const void*> stubs;  // per defined function: its entry until compiled
};

namespace {

// Rejects, before any code is generated, what FuncCompiler cannot compile: v128 values (SIMD).
// Lazy compilation runs it so that Module::compile still fails (or, with Tier::Auto, leaves the
// module to the interpreter) rather than the first call. What remains is a frame too large for
// the JIT (over 2^24 slots), which traps at the function's first call.
class SupportCheck final : public FuncConsumer {
 public:
  void begin(const ModuleInfo&, uint32_t, const FuncType& type,
             std::span<const ValType> locals) override {
    for (ValType t : locals) {
      if (t == ValType::V128) error_ = Error::invalid("jit: v128 locals are not supported");
    }
    for (ValType t : type.results) {
      if (t == ValType::V128) error_ = Error::invalid("jit: v128 results are not supported");
    }
  }
  void instr(const Instr& in, std::span<const ValType> popped, std::span<const ValType> pushed,
             bool) override {
    if (error_) return;
    auto is_v128 = [](ValType t) { return t == ValType::V128; };
    if (info(in.op).prefix == 0xFD || std::ranges::any_of(popped, is_v128) ||
        std::ranges::any_of(pushed, is_v128)) {
      error_ = Error::invalid("jit: unsupported instruction '" + std::string(name_of(in.op)) + "'",
                              in.offset);
    }
  }
  std::optional<Error> finish() override { return error_; }

 private:
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
  FuncCompiler compiler(*masm, *source.module, {}, jm.entries.get(), jm.fuel_cells, source.config);
  CodeBlock block;
  Result<void> done = validate_function(source.module->info, defined, &compiler);
  if (done) done = masm->finalize(block);
  if (!done) {
    Trap trap = interp::make_trap(TrapCode::HostError);
    trap.message = done.error().to_string();
    set_trap(ctx, std::move(trap));
    return nullptr;
  }
  block.first_func = defined;
  code = block.code + block.func_offsets[0];
  jm.add_block(std::move(block));
  jm.entries[defined].store(code, std::memory_order_release);
  return code;
}

}  // namespace

// For reserving the code buffer up front (Yosys: 75 MB of x86-64 code from 28 MB of function
// bodies); an underestimate only costs a regrowth, reserve beyond what is used stays virtual.
constexpr size_t kCodeBytesPerWasmByte = 3;
constexpr size_t kStubBytes = 32;

Result<std::shared_ptr<JitModule>> compile_module(const rt::CompiledModule& module,
                                                  const Config& config, std::string* listing) {
  const ModuleInfo& info = module.info;
  uint32_t num_funcs = info.num_defined_funcs();
  auto out = std::make_shared<JitModule>(num_funcs);
  out->num_imported_funcs = info.num_imported_funcs;
  // Eager code takes about kCodeBytesPerWasmByte bytes per byte of wasm; lazy, one stub each.
  size_t code_size_hint = uint64_t(num_funcs) * kStubBytes;
  if (!config.lazy_compile) {
    for (const FuncBody& body : info.bodies) code_size_hint += body.size * kCodeBytesPerWasmByte;
  }
  std::unique_ptr<ModuleAssembler> masm =
      make_module_assembler(listing != nullptr, code_size_hint);
  Label trampoline = masm->new_label();
  masm->entry_trampoline(trampoline);
  std::vector<Label> labels;
  labels.reserve(num_funcs);
  for (uint32_t i = 0; i < num_funcs; ++i) labels.push_back(masm->new_label());

  if (config.lazy_compile) {
    for (uint32_t i = 0; i < num_funcs; ++i) {
      SupportCheck check;
      TERN_TRY(validate_function(info, i, &check));
    }
    Label failed = masm->new_label();
    for (uint32_t i = 0; i < num_funcs; ++i) {
      masm->lazy_stub(labels[i], i, compile_on_first_call, failed);
    }
    masm->bind(failed);
    masm->raise_pending_trap();
    out->lazy = std::make_shared<LazySource>();
    out->lazy->module = &module;
    out->lazy->config = config;
  } else {
    for (uint32_t i = 0; i < num_funcs; ++i) {
      FuncCompiler compiler(*masm, module, labels, out->entries.get(), out->fuel_cells, config);
      TERN_TRY(validate_function(info, i, &compiler));
    }
  }
  CodeBlock block;
  TERN_TRY(masm->finalize(block));
  out->entry = reinterpret_cast<JitModule::Entry>(masm->address_of(trampoline));
  for (uint32_t i = 0; i < num_funcs; ++i) {
    out->entries[i].store(masm->address_of(labels[i]), std::memory_order_relaxed);
    if (out->lazy) out->lazy->stubs.push_back(masm->address_of(labels[i]));
  }
  out->add_block(std::move(block));
  register_code(out.get());
  if (listing) *listing = masm->listing();
  return out;
}

}  // namespace tern::jit
