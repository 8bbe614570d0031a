// Module::from_file and Module::validate_file: a .wasm file, or a .wat file when the build has
// the text reader. Above the tiers in the library graph, as from_file ends in Module::compile.
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <vector>

#include "engine/compile_owned_bytes.h"
#include "engine/runtime/os_memory.h"
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
  // instructions a byte. A regular file is read in one block of its size and one more byte
  // (which finds the end), so a large module is not copied and faulted in again at every
  // doubling, into huge pages where the OS has them: zero-filling and reading 30 MB of Yosys
  // page by page cost a fifth of its start-up.
  std::error_code size_error;
  const uintmax_t file_bytes = std::filesystem::file_size(path, size_error);
  const size_t first_block =
      !size_error && file_bytes < SIZE_MAX ? size_t(file_bytes) + 1 : size_t(16) << 10;
  std::vector<uint8_t> bytes;
  bytes.reserve(first_block);
  rt::os::advise_huge_pages(bytes.data(), first_block);
  while (in) {
    const size_t filled = bytes.size();
    const size_t block = std::max(first_block, filled);
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
  return compile_owned_bytes(engine, std::move(*binary));
}

Result<void> Module::validate_file(Engine& engine, const std::string& path) {
  auto bytes = read_file(path);
  if (!bytes) return bytes.take_error();
  auto binary = to_binary(std::move(*bytes), path);
  if (!binary) return binary.take_error();
  return validate(engine, *binary);
}

}  // namespace tern
