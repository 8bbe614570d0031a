// Runs the same WAT module on the interpreter and on the JIT, for differential tests.
#pragma once

#include <catch2/catch.hpp>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/runtime/objects.h"
#include "jit/common/runtime.h"
#include "tern/tern.h"
#include "tests/support/tier.h"
#include "tests/support/wat.h"

namespace tern::jit::testing {

struct Outcome {
  std::vector<Value> values;
  std::optional<TrapCode> trap;
  std::optional<uint32_t> innermost;  // the function index of a trap's innermost frame
  bool operator==(const Outcome& o) const {
    if (trap != o.trap || values.size() != o.values.size()) return false;
    for (size_t i = 0; i < values.size(); ++i) {
      if (values[i].type() != o.values[i].type() || values[i].raw() != o.values[i].raw()) {
        return false;
      }
    }
    return true;
  }
};

inline std::string describe(const Outcome& o) {
  if (o.trap) return std::string("trap: ") + trap_message(*o.trap);
  std::string s = "(";
  for (const Value& v : o.values) s += to_string(v) + " ";
  return s + ")";
}

// One module compiled by two engines, one per tier, and instantiated in a store of each.
class Dual {
 public:
  explicit Dual(const std::string& wat, Config config = {},
                const std::function<void(Linker&)>& define_imports = {})
      : interp_engine_(test::on_tier(config, Tier::Interp)),
        jit_engine_(test::on_tier(config, Tier::Jit)) {
    if (define_imports) define_imports(linker_);
    interp_module_.emplace(test::must_compile(interp_engine_, wat));
    jit_module_.emplace(test::must_compile(jit_engine_, wat));
    interp_store_.emplace(interp_engine_);
    jit_store_.emplace(jit_engine_);
    interp_ = instantiate(*interp_store_, *interp_module_);
    jit_ = instantiate(*jit_store_, *jit_module_);
  }

  Linker& linker() { return linker_; }
  Store& jit_store() { return *jit_store_; }
  Store& interp_store() { return *interp_store_; }
  Instance& jit_instance() { return jit_; }

  Outcome interp(const std::string& name, std::vector<Value> args) {
    return run(*interp_store_, interp_, name, args);
  }
  Outcome jit(const std::string& name, std::vector<Value> args) {
    return run(*jit_store_, jit_, name, args);
  }

 private:
  static Outcome run(Store& store, Instance& instance, const std::string& name,
                     const std::vector<Value>& args) {
    Func f = *instance.get_func(name);
    Outcome o;
    auto r = f.call(store, args);
    if (r) {
      o.values = *r;
    } else {
      o.trap = r.error().trap ? std::optional(r.error().trap->code) : std::nullopt;
      if (r.error().trap && !r.error().trap->backtrace.empty()) {
        o.innermost = r.error().trap->backtrace[0].func_index;
      }
    }
    return o;
  }

  Instance instantiate(Store& store, const Module& module) {
    auto i = linker_.instantiate(store, module);
    if (!i) throw std::runtime_error("instantiate: " + i.error().to_string());
    return *i;
  }

  Engine interp_engine_, jit_engine_;
  Linker linker_;
  std::optional<Module> interp_module_, jit_module_;
  std::optional<Store> interp_store_, jit_store_;
  Instance interp_, jit_;
};

// Runs export `name` on both tiers and checks that they agree, naming both outcomes.
inline void check_same(Dual& d, const std::string& name, std::vector<Value> args) {
  auto a = d.interp(name, args);
  auto b = d.jit(name, args);
  INFO(name << ": interp " << describe(a) << " jit " << describe(b));
  CHECK(a == b);
}

// check_same for an export returning one value, which must also be `expected` on the JIT.
inline void check_value(Dual& d, const std::string& name, std::vector<Value> args, Value expected) {
  auto a = d.interp(name, args);
  auto b = d.jit(name, args);
  INFO(name << ": interp " << describe(a) << " jit " << describe(b));
  REQUIRE(!b.trap);
  REQUIRE(b.values.size() == 1);
  CHECK(b.values[0].raw() == expected.raw());
  CHECK(a == b);
}

}  // namespace tern::jit::testing
