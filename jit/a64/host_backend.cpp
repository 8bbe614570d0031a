// This build's target is AArch64: its backend assembles the module code.
#include "jit/a64/a64_masm.h"

namespace tern::jit {

std::unique_ptr<ModuleAssembler> make_module_assembler(bool with_listing, size_t code_size_hint) {
  return make_a64_assembler(with_listing, code_size_hint);
}

// NEON compiles every SIMD op (a64_simd.h, a64_simd_ops.h; tests/jit/a64_simd_ops_test.cpp
// checks each against the interpreter).
bool backend_compiles_simd(Opcode) {
  return true;
}

}  // namespace tern::jit
