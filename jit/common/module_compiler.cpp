#include "jit/common/module_compiler.h"

#include "engine/validator/validator.h"
#include "jit/common/func_compiler.h"

namespace tern::jit {

Result<std::shared_ptr<JitModule>> compile_module(const rt::CompiledModule& module,
                                                  const Config& config, std::string* listing) {
  const ModuleInfo& info = module.info;
  std::unique_ptr<ModuleAssembler> masm = make_module_assembler(listing != nullptr);
  std::vector<Label> labels;
  labels.reserve(info.num_defined_funcs());
  for (uint32_t i = 0; i < info.num_defined_funcs(); ++i) labels.push_back(masm->new_label());

  auto out = std::make_shared<JitModule>();
  out->num_imported_funcs = info.num_imported_funcs;
  for (uint32_t i = 0; i < info.num_defined_funcs(); ++i) {
    FuncCompiler compiler(*masm, module, labels, out->fuel_cells, config);
    TERN_TRY(validate_function(info, i, &compiler));
  }
  TERN_TRY(masm->finalize(*out));
  register_code(out.get());
  if (listing) *listing = masm->listing();
  return out;
}

}  // namespace tern::jit
