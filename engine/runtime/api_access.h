// The engine's way into the embedding API's objects: the runtime object behind each API handle,
// and handles made from runtime objects. The public headers only name this struct as a friend;
// the engine, WASI, the JIT, tools and tests include this header when they need the internals.
#pragma once

#include <memory>
#include <vector>

#include "tern/tern.h"

namespace tern::detail {

struct Access {
  static rt::Store& store(Store& s) { return *s.impl_; }
  static rt::TypeRegistry& types(Engine& e) { return *e.types_; }
  static const std::shared_ptr<const rt::CompiledModule>& module(const Module& m) {
    return m.impl_;
  }
  static Module module(std::shared_ptr<const rt::CompiledModule> m) { return Module(std::move(m)); }

  static rt::FuncInstance* func(const Func& f) { return f.f_; }
  static rt::MemoryInstance* memory(const Memory& m) { return m.m_; }
  static rt::TableInstance* table(const Table& t) { return t.t_; }
  static rt::GlobalInstance* global(const Global& g) { return g.g_; }
  static rt::TagInstance* tag(const Tag& t) { return t.t_; }
  static rt::ExnInstance* exn(const Exn& e) { return e.e_; }
  static rt::Instance* instance(const Instance& i) { return i.i_; }
  static rt::Instance* instance(const Caller& c) { return c.instance_; }

  static Func wrap(rt::FuncInstance* f) { return Func(f); }
  static Memory wrap(rt::MemoryInstance* m) { return Memory(m); }
  static Table wrap(rt::TableInstance* t) { return Table(t); }
  static Global wrap(rt::GlobalInstance* g) { return Global(g); }
  static Tag wrap(rt::TagInstance* t) { return Tag(t); }
  static Exn wrap(rt::ExnInstance* e) { return Exn(e); }
  static Instance wrap(rt::Instance* i) { return Instance(i); }
  static Caller caller(Store& store, rt::Instance* instance) { return Caller(store, instance); }

  using LinkerDefinition = Linker::Definition;
  // A linker's definitions, for the C API's WASI (capi/wasi.cpp), which makes them one by one.
  static const std::vector<LinkerDefinition>& definitions(const Linker& l) { return l.defs_; }
};

}  // namespace tern::detail
