// The objects behind wasm.h's opaque types, and the conversions between them and the C++ API.
// Every wasm.h object is a C++ object here: a type object owns its parts, a runtime object is a
// handle on a store object (or a module, or a trap) plus a shared identity that carries the
// host info, so that copies of one reference are "the same" and share it.
#pragma once

#include <wasm.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/runtime/api_access.h"
#include "tern/tern.h"

namespace tern::capi {

enum class RefKind : uint8_t { Func, Global, Table, Memory, Foreign, Trap, Module, Instance };

// What all references to one object share: the host info and its finalizer, which runs when
// the info is replaced or the identity dies (the last reference goes, or the store does).
struct Identity : std::enable_shared_from_this<Identity> {
  Identity() = default;
  Identity(const Identity&) = delete;
  Identity& operator=(const Identity&) = delete;
  ~Identity();
  void set_host_info(void* info, void (*finalizer)(void*));
  // A new reference to this object, for an externref coming back out of wasm.
  wasm_ref_t* make_ref();

  void* host_info = nullptr;
  void (*finalizer)(void*) = nullptr;
  // A reference kept (without identity, so no cycle) once the object was handed to wasm as an
  // externref: make_ref copies it.
  std::unique_ptr<wasm_ref_t> exemplar;
};

}  // namespace tern::capi

struct wasm_config_t {
  tern::Config config;
};

struct wasm_engine_t {
  explicit wasm_engine_t(tern::Config config) : engine(config) {}
  tern::Engine engine;
};

struct wasm_store_t {
  explicit wasm_store_t(wasm_engine_t* e) : engine(e), store(e->engine) {}
  wasm_store_t(const wasm_store_t&) = delete;
  wasm_store_t& operator=(const wasm_store_t&) = delete;

  // The identity of a store object (a function, memory, table, global or instance).
  std::shared_ptr<tern::capi::Identity> identity_of(const void* object);
  // Keeps a reference's identity alive while wasm may hold it as an externref.
  void pin(const std::shared_ptr<tern::capi::Identity>& id);
  // The store's own wasm_instance_t for an instance (what wasm_frame_instance returns).
  wasm_instance_t* instance_of(const tern::rt::Instance* instance);

  wasm_engine_t* engine;
  // Declared before the maps, so destroyed after them: host info finalizers run while the
  // store's objects still exist, then the store finalizes its host functions' environments.
  tern::Store store;
  std::unordered_map<const void*, std::shared_ptr<tern::capi::Identity>> object_ids;
  std::unordered_map<tern::capi::Identity*, std::shared_ptr<tern::capi::Identity>> pinned;
  std::unordered_map<const tern::rt::Instance*, std::unique_ptr<wasm_instance_t>> instances;
};

// Types.

struct wasm_valtype_t {
  wasm_valkind_t kind;
};

struct wasm_externtype_t {
  explicit wasm_externtype_t(wasm_externkind_t k) : kind(k) {}
  virtual ~wasm_externtype_t() = default;
  virtual wasm_externtype_t* clone() const = 0;
  wasm_externkind_t kind;
};

struct wasm_functype_t : wasm_externtype_t {
  wasm_functype_t(wasm_valtype_vec_t p, wasm_valtype_vec_t r)
      : wasm_externtype_t(WASM_EXTERN_FUNC), params(p), results(r) {}
  ~wasm_functype_t() override;
  wasm_externtype_t* clone() const override;
  wasm_valtype_vec_t params, results;
};

struct wasm_globaltype_t : wasm_externtype_t {
  wasm_globaltype_t(wasm_valtype_t* c, wasm_mutability_t m)
      : wasm_externtype_t(WASM_EXTERN_GLOBAL), content(c), mutability(m) {}
  ~wasm_globaltype_t() override { delete content; }
  wasm_externtype_t* clone() const override;
  wasm_valtype_t* content;
  wasm_mutability_t mutability;
};

struct wasm_tabletype_t : wasm_externtype_t {
  wasm_tabletype_t(wasm_valtype_t* e, wasm_limits_t l)
      : wasm_externtype_t(WASM_EXTERN_TABLE), element(e), limits(l) {}
  ~wasm_tabletype_t() override { delete element; }
  wasm_externtype_t* clone() const override;
  wasm_valtype_t* element;
  wasm_limits_t limits;
};

struct wasm_memorytype_t : wasm_externtype_t {
  explicit wasm_memorytype_t(wasm_limits_t l) : wasm_externtype_t(WASM_EXTERN_MEMORY), limits(l) {}
  wasm_externtype_t* clone() const override;
  wasm_limits_t limits;
};

struct wasm_importtype_t {
  ~wasm_importtype_t();
  wasm_name_t module, name;
  wasm_externtype_t* type;
};

struct wasm_exporttype_t {
  ~wasm_exporttype_t();
  wasm_name_t name;
  wasm_externtype_t* type;
};

// Runtime objects: every one is a reference.

struct wasm_ref_t {
  wasm_ref_t(tern::capi::RefKind k, wasm_store_t* s, std::shared_ptr<tern::capi::Identity> i)
      : kind(k), store(s), id(std::move(i)) {}
  virtual ~wasm_ref_t() = default;
  virtual wasm_ref_t* clone() const = 0;  // another reference to the same object
  tern::capi::RefKind kind;
  wasm_store_t* store;  // the store it lives in; for a module, the one it was made in
  std::shared_ptr<tern::capi::Identity> id;
};

struct wasm_foreign_t : wasm_ref_t {
  using wasm_ref_t::wasm_ref_t;
  wasm_ref_t* clone() const override { return new wasm_foreign_t(kind, store, id); }
};

struct wasm_frame_t {
  wasm_instance_t* instance;  // the store's, not owned
  uint32_t func_index;
  size_t func_offset;
  size_t module_offset;
};

struct wasm_trap_t : wasm_ref_t {
  wasm_trap_t(wasm_store_t* s, std::shared_ptr<tern::capi::Identity> i, std::string m,
              std::vector<wasm_frame_t> f)
      : wasm_ref_t(tern::capi::RefKind::Trap, s, std::move(i)),
        message(std::move(m)),
        frames(std::move(f)) {}
  wasm_ref_t* clone() const override {
    auto copy = new wasm_trap_t(store, id, message, frames);
    copy->exit_code = exit_code;
    return copy;
  }
  std::string message;               // without the terminating NUL
  std::vector<wasm_frame_t> frames;  // innermost first
  std::optional<int> exit_code;      // a WASI proc_exit's status (tern_wasi_trap_exit_code)
};

struct wasm_module_t : wasm_ref_t {
  wasm_module_t(wasm_store_t* s, std::shared_ptr<tern::capi::Identity> i, tern::Module m)
      : wasm_ref_t(tern::capi::RefKind::Module, s, std::move(i)), module(std::move(m)) {}
  wasm_ref_t* clone() const override { return new wasm_module_t(store, id, module); }
  tern::Module module;
};

struct wasm_shared_module_t {
  tern::Module module;
};

struct wasm_instance_t : wasm_ref_t {
  wasm_instance_t(wasm_store_t* s, std::shared_ptr<tern::capi::Identity> i, tern::Instance in)
      : wasm_ref_t(tern::capi::RefKind::Instance, s, std::move(i)), instance(in) {}
  wasm_ref_t* clone() const override { return new wasm_instance_t(store, id, instance); }
  tern::Instance instance;
};

// A function, global, table or memory; always made as the subtype of its kind (make_extern), so
// that wasm_extern_as_func and the like are casts.
struct wasm_extern_t : wasm_ref_t {
  wasm_extern_t(wasm_store_t* s, tern::Extern e);
  wasm_ref_t* clone() const override;
  tern::Extern ext;
};
struct wasm_func_t : wasm_extern_t {
  using wasm_extern_t::wasm_extern_t;
  const tern::Func& func() const { return std::get<tern::Func>(ext); }
};
struct wasm_global_t : wasm_extern_t {
  using wasm_extern_t::wasm_extern_t;
  const tern::Global& global() const { return std::get<tern::Global>(ext); }
};
struct wasm_table_t : wasm_extern_t {
  using wasm_extern_t::wasm_extern_t;
  const tern::Table& table() const { return std::get<tern::Table>(ext); }
};
struct wasm_memory_t : wasm_extern_t {
  using wasm_extern_t::wasm_extern_t;
  const tern::Memory& memory() const { return std::get<tern::Memory>(ext); }
};

namespace tern::capi {

// A new reference of the extern's own subtype (wasm_func_t for a Func, ...).
wasm_extern_t* make_extern(wasm_store_t* store, const Extern& e);

// Type conversions, both ways.
wasm_valkind_t valkind_of(ValType t);
std::optional<ValType> valtype_of(wasm_valkind_t k);
wasm_valtype_vec_t valtype_vec_of(const std::vector<ValType>& types);
wasm_functype_t* functype_of(const FuncType& t);
std::optional<FuncType> func_type_of(const wasm_functype_t* t);
wasm_limits_t limits_of(const Limits& l);
Limits limits_of(const wasm_limits_t& l);
wasm_externtype_t* externtype_of(const Extern& e);
wasm_importtype_t* importtype_of(const Module::ImportDesc& d);
wasm_exporttype_t* exporttype_of(const Module::ExportDesc& d);

// Values: a wasm_val_t read as a Value of type `expected` (nullopt when its kind differs or a
// reference is of the wrong kind), and a Value as a new wasm_val_t owning its reference.
std::optional<Value> value_of(wasm_store_t* store, const wasm_val_t& v, ValType expected);
wasm_val_t val_of(wasm_store_t* store, const Value& v);
// A reference as the engine's Ref for a slot of type t (nullopt: the wrong kind of reference).
std::optional<Ref> engine_ref_of(wasm_store_t* store, const wasm_ref_t* ref, ValType t);
// A reference out of the engine (null for the null reference).
wasm_ref_t* ref_of(wasm_store_t* store, ValType t, Ref ref);

// A new trap in `store` with that message (and frames).
wasm_trap_t* make_trap(wasm_store_t* store, std::string message,
                       std::vector<wasm_frame_t> frames = {});
// The trap an engine error becomes: a trap's message and backtrace, or the error's text.
wasm_trap_t* trap_of(wasm_store_t* store, const Error& e);

}  // namespace tern::capi
