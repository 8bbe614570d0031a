// One WAT module instantiated on a chosen tier, for tests that run the same case on the
// interpreter and on the JIT (Catch2's GENERATE over kTiers).
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "tern/tern.h"
#include "tests/support/tier.h"
#include "tests/support/wat.h"

namespace tern::limits_testing {

using test::compile_wat;
using test::must_compile;
using test::on_tier;
using test::tier_name;

// An engine, a compiled module and a store on one tier; `instantiate` makes instances of the
// module in that store.
class Setup {
 public:
  Setup(Tier tier, const std::string& text, Config config = {}, StoreLimits limits = {})
      : engine_(on_tier(config, tier)), module_(must_compile(engine_, text)), store_(engine_) {
    store_.set_limits(limits);
  }

  Engine& engine() { return engine_; }
  Store& store() { return store_; }
  const Module& module() const { return module_; }
  Result<Instance> instantiate() { return linker_.instantiate(store_, module_); }
  // The module's one instance, made on first use.
  Instance& instance() {
    if (!instance_) {
      auto i = instantiate();
      if (!i) throw std::runtime_error("instantiate: " + i.error().to_string());
      instance_ = *i;
    }
    return *instance_;
  }
  Result<std::vector<Value>> call(const std::string& name, std::vector<Value> args = {}) {
    auto f = instance().get_func(name);
    if (!f) throw std::runtime_error("no export " + name);
    return f->call(store_, args);
  }
  // The first result of a call that must not fail (an exception, reported by Catch, if it does).
  Value result(const std::string& name, std::vector<Value> args = {}) {
    auto r = call(name, std::move(args));
    if (!r) throw std::runtime_error(name + ": " + r.error().to_string());
    return (*r).at(0);
  }

 private:
  Engine engine_;
  Module module_;
  Store store_;
  Linker linker_;
  std::optional<Instance> instance_;
};

// The trap code of a failed call, or nullopt when it returned (or failed without a trap).
template <class R>
std::optional<TrapCode> trap_of(const R& result) {
  if (result || !result.error().trap) return std::nullopt;
  return result.error().trap->code;
}

}  // namespace tern::limits_testing
