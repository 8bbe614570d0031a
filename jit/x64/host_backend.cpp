// This build's target is x86-64: its backend assembles the module code.
#include "jit/x64/x64_masm.h"
#include "jit/x64/x64_simd.h"

namespace tern::jit {

std::unique_ptr<ModuleAssembler> make_module_assembler(bool with_listing, size_t code_size_hint) {
  return make_x64_assembler(with_listing, code_size_hint);
}

bool backend_compiles_simd(Opcode op) {
  return x64_backend::compiles_simd(op);
}

}  // namespace tern::jit
