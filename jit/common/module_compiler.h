// Compiling every defined function of a module into one JitModule.
#pragma once

#include <memory>
#include <string>

#include "jit/common/runtime.h"

namespace tern::jit {

// Validates and compiles each defined function of `module` (whose type ids are already set).
// A function using an instruction the JIT cannot compile fails with an Error naming it. With
// Config::lazy_compile, the functions are only checked here and each is compiled on its first
// call. `listing`, if given, receives the assembly text.
Result<std::shared_ptr<JitModule>> compile_module(const rt::CompiledModule& module,
                                                  const Config& config,
                                                  std::string* listing = nullptr);

}  // namespace tern::jit
