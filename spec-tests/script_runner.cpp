#include "spec-tests/script_runner.h"

#include "engine/runtime/api_access.h"
#include "engine/runtime/gc_collector.h"
#include "engine/runtime/gc_ops.h"
#include "engine/runtime/i31.h"
#include "spec-tests/expectations.h"
#include "spec-tests/spectest_host.h"

namespace tern::spec {

namespace {

using Kind = text::Command::Kind;

Config config_for(const RunOptions& options) {
  Config config;
  config.tier = options.tier;
  config.lazy_compile = options.lazy_compile;
  config.profiler = options.profiler;
  config.features = options.features;
  return config;
}

Outcome make(const text::Command& c, Status status, std::string detail) {
  return Outcome{uint8_t(c.kind), c.line, status, std::move(detail)};
}

// The text we compare with a script's expected message: the trap's own text when there is one.
std::string our_message(const Error& e) {
  if (e.trap) return e.trap->message.empty() ? trap_message(e.trap->code) : e.trap->message;
  return e.message;
}

Result<std::vector<uint8_t>> module_bytes(const text::ScriptModule& m) {
  if (m.form == text::ScriptModule::Form::Quote) return text::wat_to_binary(m.quote);
  if (m.encode_error) return *m.encode_error;
  return m.binary;
}

std::string quoted(std::string_view s) {
  return "\"" + std::string(s) + "\"";
}

}  // namespace

std::string describe(const text::Command& c) {
  switch (c.kind) {
    case Kind::Module:
    case Kind::ModuleDefinition:
      return c.module.id.value_or("");
    case Kind::ModuleInstance:
      return c.instance_id.value_or("") + (c.instance_id && c.definition_id ? " " : "") +
             c.definition_id.value_or("");
    case Kind::AssertException:
      return describe(c.action);
    case Kind::Register:
      return quoted(c.register_name) + (c.register_id ? " " + *c.register_id : std::string());
    case Kind::Action:
    case Kind::AssertReturn:
      return describe(c.action);
    case Kind::AssertTrap:
    case Kind::AssertExhaustion:
      if (!c.has_module) return describe(c.action) + " " + quoted(c.message);
      break;
    default:
      break;
  }
  return "module " + quoted(c.message);
}

std::string describe(const text::Action& a) {
  std::string s = a.kind == text::Action::Kind::Invoke ? "invoke " : "get ";
  if (a.module_id) s += *a.module_id + " ";
  s += quoted(a.field);
  if (a.kind == text::Action::Kind::Invoke) s += " " + describe(std::span<const Value>(a.args));
  return s;
}

ScriptRunner::ScriptRunner(const RunOptions& options)
    : engine_(config_for(options)), store_(engine_), through_cache_(options.through_cache) {
  store_.set_gc_stress(options.gc_stress);
  auto defined = define_spectest(linker_, store_, options.verbose);
  if (!defined) spectest_error_ = defined.error().to_string();
}

Outcome ScriptRunner::run(const text::Command& c) {
  switch (c.kind) {
    case Kind::Module:
      return run_module(c);
    case Kind::Register:
      return run_register(c);
    case Kind::Action:
      return run_action(c);
    case Kind::AssertReturn:
      return run_assert_return(c);
    case Kind::AssertTrap:
      return c.has_module ? run_assert_module(c) : run_assert_action_trap(c);
    case Kind::AssertExhaustion:
      return run_assert_action_trap(c);
    case Kind::AssertInvalid:
    case Kind::AssertMalformed:
    case Kind::AssertUnlinkable:
    case Kind::AssertUninstantiable:
      return run_assert_module(c);
    case Kind::AssertException:
      return run_assert_exception(c);
    case Kind::ModuleDefinition:
      return run_module_definition(c);
    case Kind::ModuleInstance:
      return run_module_instance(c);
  }
  return make(c, Status::Failed, "unknown command kind");
}

void ScriptRunner::forget(const text::Command& c, const std::string& why) {
  if (c.kind == Kind::Module) set_module(c.module, Slot{std::nullopt, why});
  if (c.kind == Kind::ModuleDefinition) set_definition(c.module, Definition{std::nullopt, why});
  if (c.kind == Kind::ModuleInstance) set_instance(c, Slot{std::nullopt, why});
}

const ScriptRunner::Slot& ScriptRunner::slot(const std::optional<std::string>& id) const {
  if (!id) return latest_;
  static const Slot kUnknown{std::nullopt, "no module by that name"};
  auto it = named_.find(*id);
  return it == named_.end() ? kUnknown : it->second;
}

void ScriptRunner::set_module(const text::ScriptModule& m, Slot s) {
  if (m.id) named_[*m.id] = s;
  latest_ = std::move(s);
}

void ScriptRunner::set_definition(const text::ScriptModule& m, Definition d) {
  if (m.id) definitions_[*m.id] = d;
  latest_definition_ = std::move(d);
}

void ScriptRunner::set_instance(const text::Command& c, Slot s) {
  if (c.instance_id) named_[*c.instance_id] = s;
  latest_ = std::move(s);
}

Result<Module> ScriptRunner::compile(const text::ScriptModule& m) {
  auto bytes = module_bytes(m);
  if (!bytes) return bytes.take_error();
  return compile_binary(*bytes);
}

Result<Module> ScriptRunner::compile_binary(std::span<const uint8_t> bytes) {
  auto module = Module::compile(engine_, bytes);
  if (!module || !through_cache_) return module;
  auto cache = module->serialize();
  if (!cache) return cache.take_error();
  return Module::deserialize(engine_, *cache);
}

Outcome ScriptRunner::run_module(const text::Command& c) {
  std::string what = describe(c);
  auto fail = [&](const std::string& why) {
    set_module(c.module, Slot{std::nullopt,
                              "the module at line " + std::to_string(c.line) + " failed: " + why});
    return make(c, Status::Failed, what + ": " + why);
  };
  auto bytes = module_bytes(c.module);
  if (!bytes) return fail("the text does not encode: " + bytes.error().to_string());
  auto module = compile_binary(*bytes);
  if (!module) return fail("compile failed: " + module.error().to_string());
  auto instance = linker_.instantiate(store_, *module);
  if (!instance) {
    std::string why = "instantiation failed: " + instance.error().to_string();
    if (!spectest_error_.empty()) why += " (spectest setup failed: " + spectest_error_ + ")";
    return fail(why);
  }
  set_module(c.module, Slot{*instance, ""});
  return make(c, Status::Passed, what);
}

Outcome ScriptRunner::run_module_definition(const text::Command& c) {
  std::string what = describe(c);
  auto module = compile(c.module);
  if (!module) {
    std::string why = "compile failed: " + module.error().to_string();
    set_definition(c.module,
                   Definition{std::nullopt, "the module definition at line " +
                                                std::to_string(c.line) + " failed: " + why});
    return make(c, Status::Failed, what + ": " + why);
  }
  set_definition(c.module, Definition{*module, ""});
  return make(c, Status::Passed, what);
}

Outcome ScriptRunner::run_module_instance(const text::Command& c) {
  std::string what = describe(c);
  const Definition* d = &latest_definition_;
  static const Definition kUnknown{std::nullopt, "no module definition by that name"};
  if (c.definition_id) {
    auto it = definitions_.find(*c.definition_id);
    d = it == definitions_.end() ? &kUnknown : &it->second;
  }
  auto fail = [&](const std::string& why) {
    set_instance(c, Slot{std::nullopt, "the module instance at line " + std::to_string(c.line) +
                                           " failed: " + why});
    return make(c, Status::Failed, what + ": " + why);
  };
  if (!d->module) return fail(d->missing);
  auto instance = linker_.instantiate(store_, *d->module);
  if (!instance) return fail("instantiation failed: " + instance.error().to_string());
  set_instance(c, Slot{*instance, ""});
  return make(c, Status::Passed, what);
}

Outcome ScriptRunner::run_register(const text::Command& c) {
  std::string what = describe(c);
  const Slot& s = slot(c.register_id);
  if (!s.instance) return make(c, Status::Failed, what + ": " + s.missing);
  linker_.define_instance(c.register_name, *s.instance);
  return make(c, Status::Passed, what);
}

ScriptRunner::ActionResult ScriptRunner::perform(const text::Action& a) {
  const Slot& s = slot(a.module_id);
  if (!s.instance) return {s.missing};
  if (!a.unsupported_arg.empty()) return {a.unsupported_arg};
  if (a.kind == text::Action::Kind::Get) {
    auto global = s.instance->get_global(a.field);
    if (!global) return {"the module has no exported global " + quoted(a.field)};
    return {"", std::vector<Value>{global->get()}};
  }
  auto func = s.instance->get_func(a.field);
  if (!func) return {"the module has no exported function " + quoted(a.field)};
  // `ref.host N` arguments (text::host_ref) enter the any hierarchy as any.convert_extern
  // makes them: boxed in the store's heap, the same box for the same N.
  std::vector<Value> args = a.args;
  for (Value& v : args) {
    if (text::hierarchy_of(v.type()) != text::RefHierarchy::Gc || v.is_null()) continue;
    uint64_t bits = uint64_t(reinterpret_cast<uintptr_t>(v.ref()));
    if (rt::is_i31(bits)) continue;
    rt::Store& store = detail::Access::store(store_);
    uint64_t boxed = rt::any_convert_extern(store, bits);
    rt::root_for_host(store, boxed);  // the next box's allocation may collect
    v = Value::ref(v.type(), reinterpret_cast<Ref>(uintptr_t(boxed)));
  }
  return {"", func->call(store_, std::span<const Value>(args))};
}

Outcome ScriptRunner::run_action(const text::Command& c) {
  std::string what = describe(c.action);
  ActionResult r = perform(c.action);
  if (!r.not_attempted.empty()) return make(c, Status::Failed, what + ": " + r.not_attempted);
  if (!r.values) return make(c, Status::Failed, what + ": " + r.values.error().to_string());
  return make(c, Status::Passed, what);
}

Outcome ScriptRunner::run_assert_return(const text::Command& c) {
  std::string what = describe(c.action);
  ActionResult r = perform(c.action);
  if (!r.not_attempted.empty()) return make(c, Status::Failed, what + ": " + r.not_attempted);
  std::string expected = describe(std::span<const text::ResultPattern>(c.expected));
  if (!r.values) {
    return make(c, Status::Failed,
                what + ": expected " + expected + ", got " + r.values.error().to_string());
  }
  const std::vector<Value>& got = *r.values;
  bool ok = got.size() == c.expected.size();
  for (size_t i = 0; ok && i < got.size(); ++i) ok = matches(c.expected[i], got[i]);
  if (!ok) {
    return make(c, Status::Failed,
                what + ": expected " + expected + ", got " + describe(std::span<const Value>(got)));
  }
  return make(c, Status::Passed, what);
}

Outcome ScriptRunner::run_assert_action_trap(const text::Command& c) {
  const bool exhaustion = c.kind == Kind::AssertExhaustion;
  std::string what = describe(c);
  ActionResult r = perform(c.action);
  if (!r.not_attempted.empty()) return make(c, Status::Failed, what + ": " + r.not_attempted);
  if (r.values) {
    return make(c, Status::Failed,
                what + ": expected a trap, got " + describe(std::span<const Value>(*r.values)));
  }
  const Error& e = r.values.error();
  if (e.kind != ErrorKind::Trap) {
    return make(c, Status::Failed, what + ": expected a trap, got " + e.to_string());
  }
  if (exhaustion && (!e.trap || e.trap->code != TrapCode::CallStackExhausted)) {
    return make(c, Status::Failed,
                what + ": expected call stack exhaustion, got trap " + quoted(our_message(e)));
  }
  if (!message_matches(c.message, our_message(e))) {
    return make(c, Status::Failed,
                what + ": trap message mismatch: expected " + quoted(c.message) + ", got " +
                    quoted(our_message(e)));
  }
  return make(c, Status::Passed, what);
}

Outcome ScriptRunner::run_assert_exception(const text::Command& c) {
  std::string what = describe(c);
  ActionResult r = perform(c.action);
  if (!r.not_attempted.empty()) return make(c, Status::Failed, what + ": " + r.not_attempted);
  if (r.values) {
    return make(
        c, Status::Failed,
        what + ": expected an exception, got " + describe(std::span<const Value>(*r.values)));
  }
  if (r.values.error().kind != ErrorKind::Exception) {
    return make(c, Status::Failed,
                what + ": expected an uncaught exception, got " + r.values.error().to_string());
  }
  return make(c, Status::Passed, what);
}

// The module assertions: which phase must fail, and with which kind of error.
Outcome ScriptRunner::run_assert_module(const text::Command& c) {
  std::string what = describe(c);
  ErrorKind want = ErrorKind::Trap;
  bool at_compile = false;
  switch (c.kind) {
    case Kind::AssertInvalid:
      want = ErrorKind::Invalid, at_compile = true;
      break;
    case Kind::AssertMalformed:
      want = ErrorKind::Malformed, at_compile = true;
      break;
    case Kind::AssertUnlinkable:
      want = ErrorKind::Unlinkable;
      break;
    default:
      break;  // assert_trap on a module, assert_uninstantiable: a trap at instantiation
  }
  auto fail = [&](const std::string& why) { return make(c, Status::Failed, what + ": " + why); };
  auto check_error = [&](const Error& e, const char* phase) {
    if (e.kind != want) {
      return fail(std::string("expected ") + to_string(want) + " (" + phase + "), got " +
                  e.to_string());
    }
    if (c.kind == Kind::AssertTrap && !message_matches(c.message, our_message(e))) {
      return fail("trap message mismatch: expected " + quoted(c.message) + ", got " +
                  quoted(our_message(e)));
    }
    return make(c, Status::Passed, what);
  };

  auto module = compile(c.module);
  if (!module) {
    if (at_compile) return check_error(module.error(), "compile");
    return fail("expected the module to compile, got " + module.error().to_string());
  }
  if (at_compile) {
    return fail(std::string("expected ") + to_string(want) + ", but the module compiled");
  }
  auto instance = linker_.instantiate(store_, *module);
  if (!instance) return check_error(instance.error(), "instantiate");
  return fail(std::string("expected ") + to_string(want) + ", but the module instantiated");
}

}  // namespace tern::spec
