#include "spec-tests/outcome.h"

namespace tern::spec {

const char* kind_name(uint8_t kind) {
  static constexpr const char* kNames[kNumKinds] = {"module",
                                                    "register",
                                                    "action",
                                                    "assert_return",
                                                    "assert_trap",
                                                    "assert_exhaustion",
                                                    "assert_invalid",
                                                    "assert_malformed",
                                                    "assert_unlinkable",
                                                    "assert_uninstantiable",
                                                    "assert_exception",
                                                    "module definition",
                                                    "module instance",
                                                    "script"};
  return kind < kNumKinds ? kNames[kind] : "unknown";
}

}  // namespace tern::spec
