// Generated modules that cost an engine much more memory than their size if it is careless:
// many functions, deep nesting, huge br_tables, many locals, types, imports and exports. Each
// is built in memory (megabytes; too big to keep in the repository).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tern::amplification {

struct HostileModule {
  std::vector<uint8_t> bytes;
  bool instantiable = true;  // false when it imports what nothing provides
};

// The module called `name` (functions, nesting, br_tables, br_table_over_limit, locals, types,
// imports, exports: see hostile_modules.cpp); an empty module for an unknown name.
HostileModule make_hostile_module(const std::string& name);

}  // namespace tern::amplification
