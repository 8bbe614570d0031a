#include <span>
#include <string_view>

#include "engine/decoder/decoder.h"
#include "engine/text/wast.h"
#include "fuzz/targets/targets.h"

namespace {

// The text reader's binary output must at least be well formed (validation may still fail:
// the text format can express invalid modules).
void check_encodes_decodable(const std::vector<uint8_t>& binary) {
  auto decoded = tern::decode_module(std::span<const uint8_t>(binary));
  if (!decoded.ok()) tern_fuzz_fail("text reader produced a binary the decoder rejects");
}

}  // namespace

int tern_fuzz_text(const uint8_t* data, size_t size) {
  std::string_view source(reinterpret_cast<const char*>(data), size);
  // `(module binary "...")` and `(module quote ...)` pass their bytes through unchecked.
  const bool written_as_text = source.find("binary") == std::string_view::npos &&
                               source.find("quote") == std::string_view::npos;
  if (auto binary = tern::text::wat_to_binary(source); binary.ok() && written_as_text) {
    check_encodes_decodable(*binary);
  }
  auto script = tern::text::parse_wast(source);
  if (!script.ok()) return 0;
  for (const auto& command : script->commands) {
    const auto& m = command.module;
    // Only modules meant to be well formed: assert_malformed text may legitimately encode to
    // malformed bytes (e.g. a binary module written as strings).
    bool expect_wellformed = command.kind == tern::text::Command::Kind::Module ||
                             command.kind == tern::text::Command::Kind::AssertInvalid;
    if (m.form == tern::text::ScriptModule::Form::Text && !m.encode_error && expect_wellformed) {
      check_encodes_decodable(m.binary);
    }
    if (m.form == tern::text::ScriptModule::Form::Quote) {
      (void)tern::text::wat_to_binary(m.quote);
    }
  }
  return 0;
}
