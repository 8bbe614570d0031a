// A minimal embedder of the Tern engine: defines a host function, instantiates a module from
// its binary bytes, writes and reads the guest's memory, calls an export and reports a trap.
// Built against an installed Tern: see README.md (CMake's find_package or pkg-config).
#include <tern/tern.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>

namespace {

// guest.wat, assembled (`wat2wasm guest.wat`): the bytes keep the example independent of the
// text reader. It imports host.scale and exports memory, checksum(ptr, len) and divide(a, b).
const uint8_t kGuestWasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x0c, 0x02, 0x60, 0x01, 0x7f, 0x01,
    0x7f, 0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f, 0x02, 0x0e, 0x01, 0x04, 0x68, 0x6f, 0x73, 0x74,
    0x05, 0x73, 0x63, 0x61, 0x6c, 0x65, 0x00, 0x00, 0x03, 0x03, 0x02, 0x01, 0x01, 0x05, 0x03,
    0x01, 0x00, 0x01, 0x07, 0x1e, 0x03, 0x06, 0x6d, 0x65, 0x6d, 0x6f, 0x72, 0x79, 0x02, 0x00,
    0x08, 0x63, 0x68, 0x65, 0x63, 0x6b, 0x73, 0x75, 0x6d, 0x00, 0x01, 0x06, 0x64, 0x69, 0x76,
    0x69, 0x64, 0x65, 0x00, 0x02, 0x0a, 0x43, 0x02, 0x39, 0x01, 0x02, 0x7f, 0x02, 0x40, 0x03,
    0x40, 0x20, 0x02, 0x20, 0x01, 0x4f, 0x0d, 0x01, 0x20, 0x03, 0x20, 0x00, 0x20, 0x02, 0x6a,
    0x2d, 0x00, 0x00, 0x6a, 0x21, 0x03, 0x20, 0x02, 0x41, 0x01, 0x6a, 0x21, 0x02, 0x0c, 0x00,
    0x0b, 0x0b, 0x20, 0x03, 0x10, 0x00, 0x21, 0x03, 0x20, 0x00, 0x20, 0x01, 0x6a, 0x20, 0x03,
    0x36, 0x02, 0x00, 0x20, 0x03, 0x0b, 0x07, 0x00, 0x20, 0x00, 0x20, 0x01, 0x6d, 0x0b};

// The message a failed call carries: a trap's own text, else what went wrong before running.
std::string describe(const tern::Error& error) {
  if (!error.trap) return error.to_string();
  return error.trap->message.empty() ? tern::trap_message(error.trap->code) : error.trap->message;
}

int fail(const char* what, const tern::Error& error) {
  std::fprintf(stderr, "embed: %s: %s\n", what, describe(error).c_str());
  return 1;
}

}  // namespace

int main() {
  tern::Engine engine;
  auto module = tern::Module::compile(engine, kGuestWasm);
  if (!module) return fail("compile", module.error());

  tern::Store store(engine);
  tern::Linker linker;
  constexpr int32_t kScale = 3;
  linker.func_wrap("host", "scale", [](int32_t sum) { return sum * kScale; });
  auto instance = linker.instantiate(store, *module);
  if (!instance) return fail("instantiate", instance.error());

  auto memory = instance->get_memory("memory");
  auto checksum = instance->get_func("checksum");
  auto divide = instance->get_func("divide");
  if (!memory || !checksum || !divide) {
    std::fprintf(stderr, "embed: the module lacks an expected export\n");
    return 1;
  }

  // The host writes the input into guest memory; the guest leaves its answer right after it.
  const char text[] = "hello";
  const int32_t address = 16, length = sizeof text - 1;
  std::memcpy(memory->data() + address, text, length);
  auto sum = checksum->call(store, {tern::Value::i32(address), tern::Value::i32(length)});
  if (!sum) return fail("checksum", sum.error());
  std::printf("checksum of \"%s\" scaled by %d: %d\n", text, kScale, (*sum)[0].i32());

  int32_t stored;
  std::memcpy(&stored, memory->data() + address + length, sizeof stored);
  std::printf("read back from guest memory: %d\n", stored);

  auto quotient = divide->call(store, {tern::Value::i32(1), tern::Value::i32(0)});
  if (quotient) {
    std::fprintf(stderr, "embed: 1 / 0 returned %d instead of trapping\n", (*quotient)[0].i32());
    return 1;
  }
  std::printf("divide(1, 0) trapped: %s\n", describe(quotient.error()).c_str());
  return 0;
}
