// Module::from_file and Module::validate_file: a .wasm file, or a .wat file when the build has
// the text reader. Above the tiers in the library graph, as from_file ends in Module::compile.
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <vector>

#include "tern/tern.h"
#ifdef TERN_HAVE_TEXT
#include "engine/text/wast.h"
#endif

namespace tern {

namespace {

// The contents of file `path`.
Result<std::vector<uint8_t>> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{ErrorKind::Io, "cannot open " + path + ": " + std::strerror(errno), {}, {}};
  // Read in doubling blocks (pipes included): a byte-wise stream iterator costs tens of
  // instructions a byte.
  constexpr size_t kFirstBlockBytes = size_t(16) << 10;
  std::vector<uint8_t> bytes;
  while (in) {
    const size_t filled = bytes.size();
    const size_t block = std::max(kFirstBlockBytes, filled);
    bytes.resize(filled + block);
    in.read(reinterpret_cast<char*>(bytes.data() + filled), std::streamsize(block));
    bytes.resize(filled + size_t(in.gcount()));
  }
  if (in.bad()) return Error{ErrorKind::Io, "cannot read " + path, {}, {}};
  return bytes;
}

// The binary module in `bytes` read from `path`: as they are, or a .wat file's text turned into
// a binary.
Result<std::vector<uint8_t>> to_binary(std::vector<uint8_t> bytes,
                                       [[maybe_unused]] const std::string& path) {
  static constexpr uint8_t kMagic[4] = {0x00, 0x61, 0x73, 0x6D};
  if (bytes.size() >= 4 && std::memcmp(bytes.data(), kMagic, 4) == 0) return bytes;
#ifdef TERN_HAVE_TEXT
  return text::wat_to_binary(
      std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
#else
  return Error::invalid(path + " is not a binary module, and this build has no text reader " +
                        "(TERN_TEXT=OFF)");
#endif
}

}  // namespace

Result<Module> Module::from_file(Engine& engine, const std::string& path) {
  auto bytes = read_file(path);
  if (!bytes) return bytes.take_error();
  if (is_serialized(*bytes)) return deserialize(engine, *bytes);
  auto binary = to_binary(std::move(*bytes), path);
  if (!binary) return binary.take_error();
  return compile(engine, *binary);
}

Result<void> Module::validate_file(Engine& engine, const std::string& path) {
  auto bytes = read_file(path);
  if (!bytes) return bytes.take_error();
  auto binary = to_binary(std::move(*bytes), path);
  if (!binary) return binary.take_error();
  return validate(engine, *binary);
}

}  // namespace tern
