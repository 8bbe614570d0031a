// The x86-64 backend's assembler, by name: make_module_assembler gives the target's.
#pragma once

#include "jit/common/masm.h"

namespace tern::jit {

std::unique_ptr<ModuleAssembler> make_x64_assembler(bool with_listing, size_t code_size_hint = 0);

}  // namespace tern::jit
