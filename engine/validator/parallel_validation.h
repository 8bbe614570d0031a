// Validating a module's function bodies on several threads. Each body is validated on its own
// (the module header is decoded and validated first), so the bodies split into batches that
// threads take in order; the error reported is still that of the first invalid function.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>

#include "engine/validator/validator.h"

namespace tern {

// Makes the consumer that the validation of the defined function it is given feeds (null:
// validation alone). Called on the validating thread, once per function.
using FuncConsumerFactory = std::function<std::unique_ptr<FuncConsumer>(uint32_t defined_index)>;

// How many threads validate_functions uses for `module` when asked for 0: one per core once the
// bodies are large enough (1 MiB) to repay starting threads, else 1.
uint32_t default_validation_threads(const ModuleInfo& module);

// validate_function on every defined function of `module`, with a consumer from `make_consumer`
// (may be empty), on `threads` threads (0: default_validation_threads; the caller is one of
// them). Fails with the error of the lowest-indexed function that fails, as validating them in
// order would. An exception thrown by a worker (std::bad_alloc) is rethrown on the caller.
Result<void> validate_functions(const ModuleInfo& module, uint32_t threads,
                                const FuncConsumerFactory& make_consumer = {});

}  // namespace tern
