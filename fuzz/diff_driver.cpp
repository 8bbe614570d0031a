// tern_diff_driver MODULE.wasm [--fuel N] [--tier interp|jit]: instantiates MODULE with stub imports and calls every
// exported function once, in export order, with zero arguments, printing a normalised trace
// that fuzz/differential.py compares with fuzz/diff_node.mjs (V8). Line formats:
//   log <type> <value>              a call of an imported function (stub: returns zeros)
//   call <name> ok <value>*         a call that returned
//   call <name> trap <class>        a call that trapped (classes shared with the V8 driver)
//   call <name> skip                v128 in the signature: JavaScript cannot call it
//   call <name> stop <why>          fuel ran out or the stack overflowed: nothing after it is
//                                   comparable, so the driver stops here
//   global <name> <value>           every exported global at the end
//   memory <name> <pages> <hash>    every exported memory at the end: FNV-1a 64 of its bytes
// Values: i32/i64 in signed decimal; f32/f64 as "f32:0x..."/"f64:0x..." bits, every NaN as "nan"
// (engines may legitimately differ in NaN payloads); v128 as 4 i32 lanes; refs "null" or "ref".
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "fuzz/targets/stub_imports.h"
#include "tern/tern.h"

namespace {

std::string format_value(const tern::Value& v) {
  char buf[96];
  switch (v.type()) {
    case tern::ValType::I32:
      std::snprintf(buf, sizeof buf, "%d", v.i32());
      return buf;
    case tern::ValType::I64:
      std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(v.i64()));
      return buf;
    case tern::ValType::F32:
      if (std::isnan(v.f32())) return "nan";
      std::snprintf(buf, sizeof buf, "f32:0x%08x", v.f32_bits());
      return buf;
    case tern::ValType::F64:
      if (std::isnan(v.f64())) return "nan";
      std::snprintf(buf, sizeof buf, "f64:0x%016llx", static_cast<unsigned long long>(v.f64_bits()));
      return buf;
    case tern::ValType::V128: {
      int32_t lanes[4];
      std::memcpy(lanes, &v.v128(), sizeof lanes);
      std::snprintf(buf, sizeof buf, "v128:%d,%d,%d,%d", lanes[0], lanes[1], lanes[2], lanes[3]);
      return buf;
    }
    default:
      return v.is_null() ? "null" : "ref";
  }
}

// Coarse trap classes: the distinctions both Tern and V8 report.
const char* trap_class(tern::TrapCode code) {
  using tern::TrapCode;
  switch (code) {
    case TrapCode::Unreachable: return "unreachable";
    case TrapCode::MemoryOutOfBounds: return "memory";
    case TrapCode::TableOutOfBounds:
    case TrapCode::UndefinedElement: return "table";
    case TrapCode::UninitializedElement:
    case TrapCode::IndirectCallTypeMismatch: return "indirect";
    case TrapCode::IntegerDivideByZero: return "divzero";
    case TrapCode::IntegerOverflow: return "overflow";  // division or float-to-int conversion
    case TrapCode::InvalidConversionToInteger: return "conversion";
    case TrapCode::NullReference: return "null";
    case TrapCode::CallStackExhausted: return "stack";
    default: return "other";
  }
}

uint64_t fnv1a(const uint8_t* p, uint64_t n) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (uint64_t i = 0; i < n; ++i) h = (h ^ p[i]) * 0x100000001b3ull;
  return h;
}

bool has_v128(const tern::FuncType& t) {
  for (auto v : t.params) if (v == tern::ValType::V128) return true;
  for (auto v : t.results) if (v == tern::ValType::V128) return true;
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s MODULE.wasm [--fuel N] [--tier interp|jit]\n", argv[0]);
    return 2;
  }
  uint64_t fuel = 20'000'000;
  tern::Config config;
  for (int i = 2; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--fuel") == 0) fuel = std::stoull(argv[i + 1]);
    if (std::strcmp(argv[i], "--tier") == 0 && std::strcmp(argv[i + 1], "jit") == 0) {
      config.tier = tern::Tier::Jit;
    }
  }
  std::ifstream in(argv[1], std::ios::binary);
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());

  config.consume_fuel = true;
  config.max_memory_pages = 1024;
  tern::Engine engine(config);
  auto module = tern::Module::compile(engine, bytes);
  if (!module.ok()) {
    std::printf("compile error %s\n", module.error().to_string().c_str());
    return 0;
  }
  tern::Store store(engine);
  tern::Linker linker;
  auto log_call = [](const tern::Module::ImportDesc& import, std::span<const tern::Value> args) {
    std::string line = "log " + import.name;
    for (const auto& a : args) line += " " + format_value(a);
    std::printf("%s\n", line.c_str());
  };
  if (auto r = tern::fuzz::define_stub_imports(store, linker, *module, 100000, 1024, log_call);
      !r.ok()) {
    std::printf("instantiate error %s\n", r.error().to_string().c_str());
    return 0;
  }
  store.set_fuel(fuel);
  auto instance = linker.instantiate(store, *module);
  if (!instance.ok()) {
    const auto& e = instance.error();
    if (e.trap) std::printf("instantiate trap %s\n", trap_class(e.trap->code));
    else std::printf("instantiate error %s\n", e.to_string().c_str());
    return 0;
  }
  for (const auto& [name, value] : instance->exports()) {
    const auto* func = std::get_if<tern::Func>(&value);
    if (!func) continue;
    if (has_v128(func->type())) {
      std::printf("call %s skip\n", name.c_str());
      continue;
    }
    std::vector<tern::Value> args;
    for (tern::ValType t : func->type().params) args.push_back(tern::Value::zero(t));
    store.set_fuel(fuel);
    auto results = func->call(store, args);
    if (results.ok()) {
      std::string line = "call " + name + " ok";
      for (const auto& v : *results) line += " " + format_value(v);
      std::printf("%s\n", line.c_str());
      continue;
    }
    const auto& e = results.error();
    if (!e.trap) {
      std::printf("call %s error %s\n", name.c_str(), e.to_string().c_str());
      continue;
    }
    if (e.trap->code == tern::TrapCode::OutOfFuel ||
        e.trap->code == tern::TrapCode::CallStackExhausted) {
      std::printf("call %s stop %s\n", name.c_str(),
                  e.trap->code == tern::TrapCode::OutOfFuel ? "fuel" : "stack");
      return 0;
    }
    std::printf("call %s trap %s\n", name.c_str(), trap_class(e.trap->code));
  }
  for (const auto& [name, value] : instance->exports()) {
    if (const auto* global = std::get_if<tern::Global>(&value)) {
      if (global->type().type == tern::ValType::V128) continue;  // invisible to JavaScript
      std::printf("global %s %s\n", name.c_str(), format_value(global->get()).c_str());
    } else if (const auto* memory = std::get_if<tern::Memory>(&value)) {
      std::printf("memory %s %llu %016llx\n", name.c_str(),
                  static_cast<unsigned long long>(memory->pages()),
                  static_cast<unsigned long long>(fnv1a(memory->data(), memory->size_bytes())));
    }
  }
  return 0;
}
