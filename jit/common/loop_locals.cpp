#include "jit/common/loop_locals.h"

#include <algorithm>

#include "engine/decoder/instr_reader.h"

namespace tern::jit {

namespace {

// Instructions after which the single pass keeps no local in a register: calls and the
// instructions it compiles as helper calls. Erring either way only misweighs locals.
bool forgets_registers(Opcode op) {
  switch (op) {
    case Opcode::Call:
    case Opcode::CallIndirect:
    case Opcode::CallRef:
    case Opcode::Throw:
    case Opcode::ThrowRef:
    case Opcode::Rethrow:
    case Opcode::MemorySize:
    case Opcode::MemoryGrow:
    case Opcode::TableGet:
    case Opcode::TableSet:
    case Opcode::RefFunc:
      return true;
    default: {
      const OpcodeInfo& i = info(op);
      return is_gc(op) || (i.prefix == 0xFC && i.code >= 0x08);
    }
  }
}

// A loop still open during the scan: its uses as they come, one per instruction (or per local
// of a nested loop), summed when it closes. Loops are small, so sorting those beats a map.
struct OpenLoop {
  size_t record = 0;  // its entry in the result
  std::vector<LoopLocalUse> events;
  bool called = false;  // a call seen: later uses gain nothing from the head's registers
  uint32_t depth = 0;   // block nesting at its head
};

void add_use(OpenLoop& loop, uint32_t local, uint32_t weight, bool assigned) {
  loop.events.push_back({local, loop.called ? 0 : weight, assigned});
}

// The loop's uses, one per local: loops use few locals, so a search of those so far beats
// sorting the events.
std::vector<LoopLocalUse> sum_uses(const std::vector<LoopLocalUse>& events) {
  std::vector<LoopLocalUse> uses;
  for (const LoopLocalUse& e : events) {
    auto u = std::ranges::find(uses, e.local, &LoopLocalUse::local);
    if (u == uses.end()) {
      if (uses.size() == kMaxLoopLocals) continue;
      u = uses.insert(uses.end(), {e.local, 0, false});
    }
    u->weight = uint32_t(std::min<uint64_t>(uint64_t(u->weight) + e.weight, UINT32_MAX >> 4));
    u->assigned |= e.assigned;
  }
  return uses;
}

}  // namespace

std::vector<LoopLocals> scan_loop_locals(const ModuleInfo& module, const FuncBody& body,
                                         uint32_t offset) {
  std::vector<LoopLocals> out;
  std::vector<OpenLoop> open;
  Reader r(module.bytes, offset, size_t(body.start) + body.size);
  r.set_features(module.features);
  Instr in;
  std::vector<uint32_t> targets;
  uint32_t depth = 0;
  while (r.pos() - offset <= kMaxScanBytes &&
         read_instr(r, in, targets, module.limits.br_table_targets, module.features)) {
    switch (in.op) {
      case Opcode::Loop:
        out.push_back({in.offset, {}, false});
        open.push_back({out.size() - 1, {}, false, depth});
        [[fallthrough]];
      case Opcode::Block:
      case Opcode::If:
      case Opcode::Try:
      case Opcode::TryTable:
        ++depth;
        break;
      case Opcode::End:
      case Opcode::Delegate:
        --depth;
        if (open.back().depth == depth) {
          OpenLoop inner = std::move(open.back());
          open.pop_back();
          out[inner.record].uses = sum_uses(inner.events);
          out[inner.record].complete = true;
          if (open.empty()) return out;
          // The nested loop's uses count in the outer one, weighted as running more often.
          for (const LoopLocalUse& u : out[inner.record].uses) {
            add_use(open.back(), u.local, u.weight * kNestedWeight, u.assigned);
          }
          open.back().called |= inner.called;
        }
        break;
      case Opcode::LocalGet:
        add_use(open.back(), in.index, 1, false);
        break;
      case Opcode::LocalSet:
      case Opcode::LocalTee:
        add_use(open.back(), in.index, 1, true);
        break;
      default:
        if (forgets_registers(in.op)) open.back().called = true;
        break;
    }
  }
  return out;  // malformed or too long: the open loops stay incomplete
}

}  // namespace tern::jit
