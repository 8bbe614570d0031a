// tern_fuzz_seeds WAST_DIR... OUT_DIR: builds the seed corpora from the spec suite's scripts,
// every .wast under each WAST_DIR (subfolders too: wasm-3.0/exceptions/, memory64/, ...).
//   OUT_DIR/binary/     every module of every script, in the binary format (decode, instantiate)
//   OUT_DIR/text/       every top-level form of every script, as text (text)
//   OUT_DIR/wasi_path/  a few interesting paths (wasi_path; first byte = flag choice)
//   OUT_DIR/wasi_calls/ one call of each WASI function, with descriptor and path arguments
#include <fmt/core.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "engine/text/wast.h"

namespace fs = std::filesystem;

namespace {

void write_file(const fs::path& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), std::streamsize(bytes.size()));
}

// The top-level parenthesised forms of a script, skipping comments and strings.
std::vector<std::string_view> top_level_forms(std::string_view src) {
  std::vector<std::string_view> forms;
  size_t depth = 0, start = 0;
  for (size_t i = 0; i < src.size(); ++i) {
    char c = src[i];
    if (c == ';' && i + 1 < src.size() && src[i + 1] == ';') {
      while (i < src.size() && src[i] != '\n') ++i;
    } else if (c == '(' && i + 1 < src.size() && src[i + 1] == ';') {
      size_t nest = 1;
      for (i += 2; i + 1 < src.size() && nest > 0; ++i) {
        if (src[i] == '(' && src[i + 1] == ';')
          ++nest, ++i;
        else if (src[i] == ';' && src[i + 1] == ')')
          --nest, ++i;
      }
      --i;
    } else if (c == '"') {
      for (++i; i < src.size() && src[i] != '"'; ++i) {
        if (src[i] == '\\') ++i;
      }
    } else if (c == '(') {
      if (depth++ == 0) start = i;
    } else if (c == ')' && depth > 0) {
      if (--depth == 0) forms.push_back(src.substr(start, i + 1 - start));
    }
  }
  return forms;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    fmt::print(stderr, "usage: {} WAST_DIR... OUT_DIR\n", argv[0]);
    return 2;
  }
  fs::path out = argv[argc - 1];
  for (const char* sub : {"binary", "text", "wasi_path", "wasi_calls"})
    fs::create_directories(out / sub);
  std::vector<fs::path> scripts;  // every script, and the name its seeds get
  std::vector<std::string> stems;
  for (int i = 1; i < argc - 1; ++i) {
    const fs::path root = argv[i];
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
      if (entry.path().extension() != ".wast") continue;
      scripts.push_back(entry.path());
      // The folders too: memory64/address.wast is not address.wast.
      std::string stem = fs::relative(entry.path(), root).replace_extension().string();
      for (char& c : stem) c = c == '/' ? '.' : c;
      stems.push_back(root.filename().string() + "." + stem);
    }
  }
  size_t binaries = 0, texts = 0;
  for (size_t s = 0; s < scripts.size(); ++s) {
    std::ifstream in(scripts[s], std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    const std::string source = buffer.str();
    const std::string& stem = stems[s];
    size_t n = 0;
    for (std::string_view form : top_level_forms(source)) {
      if (form.size() > 64 * 1024) continue;  // libFuzzer's default -max_len is far smaller
      write_file(out / "text" / fmt::format("{}-{}.wast", stem, n++), form);
      ++texts;
    }
    auto script = tern::text::parse_wast(source);
    if (!script.ok()) continue;
    n = 0;
    for (const auto& command : script->commands) {
      const auto& m = command.module;
      if (m.form == tern::text::ScriptModule::Form::Quote || m.encode_error) continue;
      if (m.binary.empty()) continue;
      std::string_view bytes(reinterpret_cast<const char*>(m.binary.data()), m.binary.size());
      write_file(out / "binary" / fmt::format("{}-{}.wasm", stem, n++), bytes);
      ++binaries;
    }
  }
  const char* paths[] = {"file",          "dir/inner", "dir/sub/",
                         "link_in/inner", "link_up/x", "dir/../file",
                         "dir/link_out",  "link_loop", "./empty/../dir/sub/.."};
  size_t p = 0;
  for (const char* path : paths) {
    for (char control : {'\0', '\4', '\5'}) {
      write_file(out / "wasi_path" / fmt::format("seed-{}", p++), std::string(1, control) + path);
    }
  }
  // wasi_calls inputs (fuzz/targets/wasi_calls.cpp): no memory image, then a function number
  // and argument choices: descriptors (category 1), a path and its length (2, 3), small values.
  const std::string argument_styles[] = {{1, 3, 1, 4, 0, 0, 0, 1, 0, 64},
                                         {1, 3, 9, 2, 1, 3, 9, 7, 1, 9, 9, 0, 100},
                                         {1, 3, 2, 0, 3, 1, 3, 2, 11, 3, 0, 8}};
  size_t calls = 0;
  for (char func = 0; func < 64; ++func) {
    for (const std::string& args : argument_styles) {
      write_file(out / "wasi_calls" / fmt::format("seed-{}", calls++),
                 std::string{'\0', func} + args);
    }
  }
  fmt::print("{} binary modules, {} text forms, {} paths, {} WASI calls\n", binaries, texts, p,
             calls);
  return 0;
}
