#include "fuzz/targets/stub_imports.h"

namespace tern::fuzz {

namespace {

Result<Extern> make_stub(Store& store, const Module::ImportDesc& import, uint64_t max_elements,
                         uint64_t max_pages, const StubCallHook& on_call) {
  switch (import.kind) {
    case ExternKind::Func: {
      HostCallback body = [import, on_call](Caller&, std::span<const Value> args,
                                            std::span<Value> results) -> Result<void> {
        if (on_call) on_call(import, args);
        for (size_t i = 0; i < results.size(); ++i) {
          results[i] = Value::zero(import.func.results[i]);
        }
        return {};
      };
      return Extern(Func::host(store, import.func, std::move(body)));
    }
    case ExternKind::Table: {
      if (import.table.limits.min > max_elements) {
        return Error{ErrorKind::Limit, "imported table too large for the fuzzer", {}, {}};
      }
      auto table = Table::create(store, import.table);
      if (!table.ok()) return table.take_error();
      return Extern(*table);
    }
    case ExternKind::Memory: {
      if (import.memory.limits.min > max_pages) {
        return Error{ErrorKind::Limit, "imported memory too large for the fuzzer", {}, {}};
      }
      auto memory = Memory::create(store, import.memory);
      if (!memory.ok()) return memory.take_error();
      return Extern(*memory);
    }
    case ExternKind::Global: {
      // A non-nullable externref (binaryen's generator imports such globals) gets a host
      // reference to a static: any pointer will do. Other non-nullable references cannot be made
      // up, and their globals fail to link.
      const ValType type = import.global.type;
      alignas(8) static int64_t host_object = 0;
      Value init = Value::zero(type);
      if (!is_nullable(type) && heap_kind(type) == HeapKind::Extern)
        init = Value::ref(type, &host_object);
      auto global = Global::create(store, import.global, init);
      if (!global.ok()) return global.take_error();
      return Extern(*global);
    }
    case ExternKind::Tag: {
      auto tag = Tag::create(store, import.tag);
      if (!tag.ok()) return tag.take_error();
      return Extern(*tag);
    }
  }
  return Error{ErrorKind::Unlinkable, "unknown import kind", {}, {}};
}

}  // namespace

Result<void> define_stub_imports(Store& store, Linker& linker, const Module& module,
                                 uint64_t max_elements, uint64_t max_pages, StubCallHook on_call) {
  for (const auto& import : module.imports()) {
    auto stub = make_stub(store, import, max_elements, max_pages, on_call);
    if (!stub.ok()) return stub.take_error();
    linker.define(import.module, import.name, *stub);
  }
  return {};
}

}  // namespace tern::fuzz
