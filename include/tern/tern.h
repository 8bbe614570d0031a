// Tern's embedding API: Engine → Module → Store → Linker/Instance → Func::call.
//
//   tern::Engine engine;
//   auto module = tern::Module::compile(engine, bytes);      // decode + validate + lower
//   tern::Store store(engine);
//   tern::Linker linker;
//   linker.func_wrap("env", "add", [](int32_t a, int32_t b) { return a + b; });
//   auto instance = linker.instantiate(store, *module);
//   auto results = instance->get_func("main")->call(store, {tern::Value::i32(1)});
//
// Each concept has its own header; this one includes them all. docs/embedding.md is the guide,
// thread safety included (Engine and Module are shared, a Store is used by one thread at a time).
#pragma once

#include <tern/config.h>
#include <tern/engine.h>
#include <tern/error.h>
#include <tern/exn.h>
#include <tern/extern.h>
#include <tern/func.h>
#include <tern/global.h>
#include <tern/instance.h>
#include <tern/linker.h>
#include <tern/memory.h>
#include <tern/module.h>
#include <tern/store.h>
#include <tern/table.h>
#include <tern/tag.h>
#include <tern/types.h>
#include <tern/value.h>
