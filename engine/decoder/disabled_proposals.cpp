#include "engine/decoder/disabled_proposals.h"

#include <string>

namespace tern {

namespace {

enum class Proposal : uint8_t { FunctionReferences, Gc };

// Records the disabled-proposal error and returns true, or returns false when the proposal is
// on (both are implemented: the caller's plain "malformed ..." error is then the right one).
bool fail_for(Reader& r, Proposal p, const std::string& construct, size_t at) {
  const WasmFeatures& f = r.features();
  switch (p) {
    case Proposal::FunctionReferences:
      if (f.function_references) return false;
      r.fail_disabled(construct, "typed function references", "function-references", at);
      break;
    case Proposal::Gc:
      if (f.gc) return false;
      r.fail_disabled(construct, "garbage collection", "gc", at);
      break;
  }
  return true;
}

struct Named {
  uint32_t code;
  const char* name;
  Proposal proposal;
};

std::string hex(uint32_t v) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string s;
  do {
    s.insert(s.begin(), kDigits[v % 16]);
    v /= 16;
  } while (v);
  return "0x" + (s.size() == 1 ? "0" + s : s);
}

}  // namespace

bool fail_disabled_type(Reader& r, uint8_t byte, size_t at) {
  static constexpr Named kTypes[] = {{0x64, "ref", Proposal::FunctionReferences},
                                     {0x63, "ref null", Proposal::FunctionReferences},
                                     {0x73, "nullfuncref", Proposal::Gc},
                                     {0x72, "nullexternref", Proposal::Gc},
                                     {0x71, "nullref", Proposal::Gc},
                                     {0x6E, "anyref", Proposal::Gc},
                                     {0x6D, "eqref", Proposal::Gc},
                                     {0x6C, "i31ref", Proposal::Gc},
                                     {0x6B, "structref", Proposal::Gc},
                                     {0x6A, "arrayref", Proposal::Gc}};
  for (const Named& t : kTypes) {
    if (t.code == byte) {
      return fail_for(r, t.proposal, "type " + hex(byte) + " (" + t.name + ")", at);
    }
  }
  return false;
}

bool fail_disabled_table_initializer(Reader& r) {
  if (r.at_end() || r.peek() != 0x40) return false;
  return fail_for(r, Proposal::FunctionReferences, "a table with an initializer expression",
                  r.pos());
}

bool fail_disabled_type_form(Reader& r, uint8_t form, size_t at) {
  static constexpr Named kForms[] = {{0x4E, "rec", Proposal::Gc},
                                     {0x50, "sub", Proposal::Gc},
                                     {0x4F, "sub final", Proposal::Gc},
                                     {0x5F, "struct", Proposal::Gc},
                                     {0x5E, "array", Proposal::Gc}};
  for (const Named& t : kForms) {
    if (t.code == form) {
      return fail_for(r, t.proposal, "type definition " + hex(form) + " (" + t.name + ")", at);
    }
  }
  return false;
}

}  // namespace tern
