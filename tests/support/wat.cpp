#include "tests/support/wat.h"

#include <stdexcept>
#include <string>

#include "engine/text/wast.h"

namespace tern::test {

Result<Module> compile_wat(Engine& engine, std::string_view wat) {
  auto bytes = text::wat_to_binary(wat);
  if (!bytes) return bytes.take_error();
  return Module::compile(engine, *bytes);
}

Module must_compile(Engine& engine, std::string_view wat) {
  auto module = compile_wat(engine, wat);
  if (!module) throw std::runtime_error("compile: " + module.error().to_string());
  return std::move(*module);
}

std::vector<uint8_t> must_encode(std::string_view wat) {
  auto bytes = text::wat_to_binary(wat);
  if (!bytes) throw std::runtime_error("wat: " + bytes.error().to_string());
  return std::move(*bytes);
}

}  // namespace tern::test
