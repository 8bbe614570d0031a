#include "jit/common/module_cache.h"

#include <algorithm>
#include <unordered_map>

#include "engine/runtime/byte_stream.h"
#include "jit/common/code_address.h"
#include "jit/common/code_buffer.h"
#include "jit/common/gc_helpers.h"
#include "jit/common/helpers.h"

namespace tern::jit {

namespace {

// What an address in the code refers to.
enum class Target : uint8_t {
  Function = 0,  // relocatable_functions()[value]
  Entries = 1,   // JitModule::entries plus `value` bytes (negative: the imports' share)
  TypeIds = 2,   // CompiledModule::type_ids plus `value` bytes (a call_indirect's expected type)
};

template <typename F>
uint64_t address_of(F* f) {
  return reinterpret_cast<uint64_t>(f);
}

// Every runtime function compiled code calls by address: raise_trap, the helpers
// (TERN_JIT_HELPERS, helpers.h; TERN_JIT_GC_HELPERS, gc_helpers.h) and the numeric helpers,
// derived from their declarations so that a new helper is in it. Serializing code that calls
// anything else fails naming the address. The order is part of the format, which the build id
// covers (engine/module_cache.cpp).
const std::vector<uint64_t>& relocatable_functions() {
  static const std::vector<uint64_t> table = [] {
    std::vector<uint64_t> t = {address_of(&jit::raise_trap)};
#define TERN_ADD_JIT_HELPER(name) t.push_back(address_of(helpers::name));
    TERN_JIT_HELPERS(TERN_ADD_JIT_HELPER)
    TERN_JIT_GC_HELPERS(TERN_ADD_JIT_HELPER)
#undef TERN_ADD_JIT_HELPER
    for (size_t op = 0; op < kOpcodeCount; ++op) {
      if (auto h = numeric_helper(Opcode(op))) t.push_back(address_of(h->fn));
    }
    return t;
  }();
  return table;
}

const std::unordered_map<uint64_t, uint32_t>& function_indices() {
  static const std::unordered_map<uint64_t, uint32_t> indices = [] {
    std::unordered_map<uint64_t, uint32_t> m;
    const std::vector<uint64_t>& t = relocatable_functions();
    for (uint32_t i = 0; i < t.size(); ++i) m.emplace(t[i], i);
    return m;
  }();
  return indices;
}

Error cache_error(const std::string& what) {
  return Error::malformed("compiled-module cache: " + what);
}

// The block of `jm` holding `address` and the offset there.
std::optional<std::pair<uint32_t, uint32_t>> locate(const JitModule& jm, const void* address) {
  for (size_t b = 0; b < jm.num_blocks(); ++b) {
    const CodeBlock& block = jm.block(b);
    if (block.contains(uintptr_t(address))) {
      return std::pair{uint32_t(b), uint32_t(uintptr_t(address) - uintptr_t(block.code))};
    }
  }
  return std::nullopt;
}

// The collector reads the stack where these point: each a return address in the block, in
// order, with its slots below the frame pointer, inside the largest frame the JIT makes.
Result<void> read_safepoints(std::span<const uint32_t> safepoints, std::span<const uint32_t> slots,
                             CodeBlock& t) {
  constexpr int64_t kLowest = -int64_t(kMaxFrameSlots * 8 + 32);
  for (uint32_t s : slots) {
    int32_t offset = int32_t(s);
    if (offset >= 0 || offset < kLowest || offset % 8 != 0) {
      return cache_error("a safepoint's slot is outside its frame");
    }
    t.safepoint_slots.push_back(offset);
  }
  if (safepoints.size() % 3 != 0) return cache_error("a code block's safepoints are truncated");
  for (size_t i = 0; i < safepoints.size(); i += 3) {
    CodeBlock::Safepoint p{safepoints[i], safepoints[i + 1], safepoints[i + 2]};
    bool ordered = t.safepoints.empty() || t.safepoints.back().return_offset < p.return_offset;
    if (!ordered || p.return_offset > t.size || uint64_t(p.first) + p.count > slots.size()) {
      return cache_error("a code block's safepoints are out of order or range");
    }
    t.safepoints.push_back(p);
  }
  return {};
}

Result<void> serialize_block(const JitModule& jm, std::span<const uint32_t> type_ids,
                             const CodeBlock& block, rt::ByteWriter& w) {
  std::span<const uint8_t> code(block.code, block.size);
  w.put_bytes(code);
  w.put(block.first_func);
  w.put_u32s(block.func_offsets);
  w.put_u32s(block.fault_sites);
  w.put_u32s(block.address_sites);
  std::vector<uint32_t> wasm_offsets;  // native, wasm offset pairs
  for (const WasmOffset& o : block.wasm_offsets) {
    wasm_offsets.push_back(o.native_offset);
    wasm_offsets.push_back(o.wasm_offset);
  }
  w.put_u32s(wasm_offsets);
  std::vector<uint32_t> safepoints;  // return offset, first slot, count
  for (const CodeBlock::Safepoint& p : block.safepoints) {
    safepoints.insert(safepoints.end(), {p.return_offset, p.first, p.count});
  }
  w.put_u32s(safepoints);
  w.put_u32s(std::vector<uint32_t>(block.safepoint_slots.begin(), block.safepoint_slots.end()));
  CodeAddressForm form = code_address_form();
  const auto& functions = function_indices();
  int64_t entries = int64_t(uintptr_t(jm.entries.get()));
  int64_t entries_min = -int64_t(jm.num_imported_funcs) * 8;
  std::vector<bool> is_type_id(block.address_sites.size());
  for (uint32_t i : block.type_id_sites) {
    if (i >= is_type_id.size()) return cache_error("a type id site is out of range");
    is_type_id[i] = true;
  }
  for (size_t i = 0; i + form.parts <= block.address_sites.size(); i += form.parts) {
    uint64_t address = 0;
    if (!read_code_address(code, &block.address_sites[i], address)) {
      return cache_error("an address site does not hold an address");
    }
    if (is_type_id[i]) {
      uint64_t delta = address - uint64_t(uintptr_t(type_ids.data()));
      if (delta % 4 != 0 || delta / 4 >= type_ids.size()) {
        return cache_error("a type id site does not hold a type id cell's address");
      }
      w.put(Target::TypeIds);
      w.put(delta);
      continue;
    }
    if (auto it = functions.find(address); it != functions.end()) {
      w.put(Target::Function);
      w.put(uint64_t(it->second));
      continue;
    }
    int64_t delta = int64_t(address) - entries;
    if (delta >= entries_min && delta % 8 == 0 && delta / 8 < int64_t(jm.num_defined_funcs)) {
      w.put(Target::Entries);
      w.put(uint64_t(delta));
      continue;
    }
    return cache_error("the code refers to an address the cache cannot relocate (" +
                       std::to_string(address) + ")");
  }
  w.put(uint64_t(block.handler_tables.size()));
  for (const HandlerTable& t : block.handler_tables) {
    w.put(t.func);
    w.put(t.frame_bytes);
    w.put(uint64_t(t.regions.size()));
    for (const TryRegion& r : t.regions) {
      w.put(r.begin);
      w.put(r.end);
      w.put(r.parent);
      w.put(uint64_t(r.clauses.size()));
      for (const CatchClause& c : r.clauses) {
        w.put(c.tag);
        w.put(c.pad);
      }
    }
  }
  return {};
}

// A block's code and tables as read, before its code is placed.
struct BlockDraft {
  std::span<const uint8_t> code;
  CodeBlock tables;  // everything but the code
  std::vector<std::pair<Target, uint64_t>> relocations;
};

Result<BlockDraft> read_block(rt::ByteReader& r, const JitModule& jm, uint32_t num_defined,
                              size_t num_types) {
  BlockDraft d;
  d.code = r.get_bytes();
  CodeBlock& t = d.tables;
  t.size = d.code.size();
  t.first_func = r.get<uint32_t>();
  t.func_offsets = r.get_u32s();
  t.fault_sites = r.get_u32s();
  t.address_sites = r.get_u32s();
  std::vector<uint32_t> wasm_offsets = r.get_u32s();
  std::vector<uint32_t> safepoints = r.get_u32s();
  std::vector<uint32_t> safepoint_slots = r.get_u32s();
  if (!r.ok()) return cache_error("truncated code block");
  if (Result<void> ok = read_safepoints(safepoints, safepoint_slots, t); !ok.ok()) {
    return ok.take_error();
  }
  // Backtraces search them by native offset: sorted, inside the block (a return address may end
  // it). The wasm offsets are only reported, never followed.
  for (size_t i = 0; i + 1 < wasm_offsets.size(); i += 2) {
    t.wasm_offsets.push_back({wasm_offsets[i], wasm_offsets[i + 1]});
  }
  if (wasm_offsets.size() % 2 != 0 ||
      !std::ranges::is_sorted(t.wasm_offsets, {}, &WasmOffset::native_offset) ||
      !std::ranges::all_of(t.wasm_offsets,
                           [&](const WasmOffset& o) { return o.native_offset <= t.size; })) {
    return cache_error("a code block's wasm offsets are out of order or range");
  }
  auto inside = [&](uint32_t o) { return o < t.size; };
  bool ordered = std::ranges::is_sorted(t.func_offsets) && std::ranges::is_sorted(t.fault_sites);
  if (!ordered || !std::ranges::all_of(t.func_offsets, inside) ||
      !std::ranges::all_of(t.fault_sites, inside) || t.first_func > num_defined ||
      t.func_offsets.size() > num_defined - t.first_func) {
    return cache_error("a code block's function offsets or fault sites are out of range");
  }
  CodeAddressForm form = code_address_form();
  if (t.address_sites.size() % form.parts != 0 ||
      !std::ranges::all_of(t.address_sites,
                           [&](uint32_t o) { return uint64_t(o) + form.part_bytes <= t.size; })) {
    return cache_error("an address site is out of range");
  }
  const size_t num_functions = relocatable_functions().size();
  for (size_t i = 0; i < t.address_sites.size(); i += form.parts) {
    auto kind = r.get<Target>();
    uint64_t value = r.get<uint64_t>();
    int64_t delta = int64_t(value);
    uint64_t ignored;
    bool valid = false;
    switch (kind) {
      case Target::Function:
        valid = value < num_functions;
        break;
      case Target::Entries:
        valid = delta % 8 == 0 && delta >= -int64_t(jm.num_imported_funcs) * 8 &&
                delta / 8 < int64_t(num_defined);
        break;
      case Target::TypeIds:
        valid = value % 4 == 0 && value / 4 < num_types;
        break;
    }
    if (!r.ok() || !valid || !read_code_address(d.code, &t.address_sites[i], ignored)) {
      return cache_error("a relocation is invalid");
    }
    if (kind == Target::TypeIds) t.type_id_sites.push_back(uint32_t(i));
    d.relocations.emplace_back(kind, value);
  }
  uint64_t num_tables = r.get_count(16);
  for (uint64_t i = 0; i < num_tables && r.ok(); ++i) {
    HandlerTable& table = t.handler_tables.emplace_back();
    table.func = r.get<uint32_t>();
    table.frame_bytes = r.get<uint32_t>();
    uint64_t num_regions = r.get_count(20);
    bool valid = table.func < t.func_offsets.size();
    for (uint64_t j = 0; j < num_regions && r.ok(); ++j) {
      TryRegion& region = table.regions.emplace_back();
      region.begin = r.get<uint32_t>();
      region.end = r.get<uint32_t>();
      region.parent = r.get<int32_t>();
      uint64_t num_clauses = r.get_count(8);
      // A parent opened before its child: the unwinder's walk up the parents ends.
      valid = valid && inside(region.begin) && region.end <= t.size && region.parent >= -1 &&
              region.parent < int64_t(j);
      for (uint64_t k = 0; k < num_clauses && r.ok(); ++k) {
        CatchClause& c = region.clauses.emplace_back();
        c.tag = r.get<uint32_t>();
        c.pad = r.get<uint32_t>();
        valid = valid && inside(c.pad);
      }
    }
    if (!valid) return cache_error("a handler table is out of range");
  }
  if (!r.ok()) return cache_error("truncated handler tables");
  return d;
}

}  // namespace

Result<void> serialize_code(const JitModule& jm, std::span<const uint32_t> type_ids,
                            std::vector<uint8_t>& out) {
  if (jm.lazy) return cache_error("lazily compiled code is not serialized");
  if (jm.meters_fuel) {
    return cache_error("code with fuel metering (Config::consume_fuel) is not serialized");
  }
  rt::ByteWriter w(out);
  uint32_t num_defined = jm.num_defined_funcs;
  w.put(num_defined);
  w.put(jm.num_imported_funcs);
  w.put(uint64_t(jm.num_blocks()));
  for (size_t b = 0; b < jm.num_blocks(); ++b)
    TERN_TRY(serialize_block(jm, type_ids, jm.block(b), w));
  auto entry = locate(jm, reinterpret_cast<const void*>(jm.entry));
  auto resume = locate(jm, reinterpret_cast<const void*>(jm.resume));
  auto leave = locate(jm, reinterpret_cast<const void*>(jm.leave_activation));
  if (!entry || !resume || !leave || resume->first != entry->first ||
      leave->first != entry->first) {
    return cache_error("the entry trampoline is not in the module's code");
  }
  w.put(entry->first);
  w.put(entry->second);
  w.put(resume->second);
  w.put(leave->second);
  for (uint32_t i = 0; i < num_defined; ++i) {
    auto at = locate(jm, jm.code_of(i));
    if (!at) return cache_error("a function's code is not in the module's code");
    w.put(at->first);
    w.put(at->second);
  }
  return {};
}

Result<std::shared_ptr<JitModule>> deserialize_code(const rt::CompiledModule& module,
                                                    std::span<const uint8_t> bytes) {
  rt::ByteReader r(bytes);
  uint32_t num_defined = r.get<uint32_t>();
  uint32_t num_imported = r.get<uint32_t>();
  if (!r.ok() || num_defined != module.info.num_defined_funcs() ||
      num_imported != module.info.num_imported_funcs) {
    return cache_error("the native code is for another module");
  }
  auto out = std::make_shared<JitModule>(num_defined);
  out->num_imported_funcs = num_imported;
  uint64_t num_blocks = r.get_count(40);
  std::vector<BlockDraft> drafts;
  for (uint64_t b = 0; b < num_blocks && r.ok(); ++b) {
    auto draft = read_block(r, *out, num_defined, module.type_ids.size());
    if (!draft) return draft.take_error();
    drafts.push_back(std::move(*draft));
  }
  uint32_t trampoline_block = r.get<uint32_t>();
  uint32_t trampoline_offsets[3] = {r.get<uint32_t>(), r.get<uint32_t>(), r.get<uint32_t>()};
  std::vector<std::pair<uint32_t, uint32_t>> entries(num_defined);
  for (auto& [block, offset] : entries) {
    block = r.get<uint32_t>();
    offset = r.get<uint32_t>();
  }
  if (!r.ok() || r.remaining() != 0) return cache_error("truncated or overlong native code");
  auto in_a_block = [&](uint32_t block, uint32_t offset) {
    return block < drafts.size() && offset < drafts[block].code.size();
  };
  bool valid = std::ranges::all_of(trampoline_offsets,
                                   [&](uint32_t o) { return in_a_block(trampoline_block, o); });
  for (auto [block, offset] : entries) valid = valid && in_a_block(block, offset);
  if (!valid) return cache_error("an entry point is out of range");

  const std::vector<uint64_t>& functions = relocatable_functions();
  uint64_t entries_base = uintptr_t(out->entries.get());
  uint64_t type_ids_base = uintptr_t(module.type_ids.data());
  CodeAddressForm form = code_address_form();
  std::vector<const uint8_t*> bases;
  for (BlockDraft& d : drafts) {
    CodeBlock block = std::move(d.tables);
    auto patch = [&](std::span<uint8_t> code) {
      for (size_t i = 0; i < d.relocations.size(); ++i) {
        auto [kind, value] = d.relocations[i];
        uint64_t address = kind == Target::Function  ? functions[value]
                           : kind == Target::Entries ? entries_base + value
                                                     : type_ids_base + value;
        write_code_address(code, &block.address_sites[i * form.parts], address);
      }
    };
    TERN_TRY(place_code(d.code, patch, block));
    bases.push_back(block.code);
    out->add_block(std::move(block));
  }
  const uint8_t* trampoline = bases[trampoline_block];
  out->entry = reinterpret_cast<JitModule::Entry>(trampoline + trampoline_offsets[0]);
  out->resume = reinterpret_cast<void (*)(const ResumePoint*)>(trampoline + trampoline_offsets[1]);
  out->leave_activation = reinterpret_cast<void (*)(uintptr_t)>(trampoline + trampoline_offsets[2]);
  for (uint32_t i = 0; i < num_defined; ++i) {
    out->entries[i].store(bases[entries[i].first] + entries[i].second, std::memory_order_relaxed);
  }
  register_code(out.get());
  return out;
}

}  // namespace tern::jit
