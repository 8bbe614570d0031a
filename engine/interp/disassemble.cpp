// The disassembler, generated from the layout tables of code.h and the op lists of
// numeric_ops.def and compare_ops.def, like the Op enum itself.
#include "engine/interp/disassemble.h"

#include <array>
#include <cinttypes>
#include <cstdio>
#include <unordered_map>

#include "engine/interp/instr_views.h"

namespace tern::interp {

namespace {

enum class Layout : uint8_t {
#define TERN_X(layout, ...) layout,
  TERN_INTERP_FIXED_OPS(TERN_X) TERN_INTERP_SHARED_LAYOUTS(TERN_X)
#undef TERN_X
};

struct OpInfo {
  const char* name;
  Layout layout;
};

// Indexed by Op, in the enum's order (code.h).
constexpr OpInfo kOps[] = {
#define TERN_X(name, ...) {#name, Layout::name},
    TERN_INTERP_FIXED_OPS(TERN_X)
#undef TERN_X
#define INT_COMPARE(cond, negated, op, T32, T64)                                           \
  {"BrI32" #cond "_ss", Layout::BrCompare}, {"BrI32" #cond "_si", Layout::BrCompareImm32}, \
      {"BrI64" #cond "_ss", Layout::BrCompare}, {"BrI64" #cond "_si", Layout::BrCompareImm64},
#include "engine/compare_ops.def"
#define TERN_IMM_LAYOUT(T) (sizeof(T) == 4 ? Layout::BinaryImm32 : Layout::BinaryImm64)
#define UNARY(id, T, R, expr) {#id, Layout::Unary},
#define BINARY(id, T, R, expr) {#id "_ss", Layout::Binary}, {#id "_si", TERN_IMM_LAYOUT(T)},
#define LOAD(id, M, R) \
  {#id, Layout::Load}, {#id "_add_ss", Layout::LoadAdd}, {#id "_add_si", Layout::LoadAddImm},
#define STORE(id, T, M) \
  {#id, Layout::Store}, {#id "_add_ss", Layout::StoreAdd}, {#id "_add_si", Layout::StoreAddImm},
#include "engine/interp/numeric_ops.def"
#undef TERN_IMM_LAYOUT
#define GC_LOAD(id, M, R) \
  {"StructGet" #id, Layout::StructField}, {"ArrayGet" #id, Layout::ArrayElem},
#define GC_STORE(id, M) \
  {"StructSet" #id, Layout::StructFieldSet}, {"ArraySet" #id, Layout::ArrayElemSet},
#include "engine/interp/gc_field_ops.def"
};
static_assert(std::size(kOps) == kOpCount);

// Appends one instruction's operands to a line.
class OperandPrinter {
 public:
  OperandPrinter(std::string& out, uint32_t pos) : out_(out), pos_(pos) {}

  void slot(const char* name, Unit offset) { add(name, "[%" PRIu32 "]", offset); }
  void u32(const char* name, Unit value) { add(name, "%" PRIu32, value); }
  void u64(const char* name, const ops::Imm64& value) {
    add(name, "%" PRIu64, value.as<uint64_t>());
  }
  void fn(const char* name, const ops::Imm64& value) {
    add(name, "0x%" PRIx64, value.as<uint64_t>());
  }
  void bytes16(const char* name, const Unit* units) {
    std::string hex;
    for (int i = 0; i < 4; ++i) {
      for (int b = 0; b < 4; ++b) {
        char byte[3];
        std::snprintf(byte, sizeof byte, "%02x", (units[i] >> (8 * b)) & 0xFF);
        hex += byte;
      }
    }
    add(name, "0x%s", hex.c_str());
  }
  void pos(const char* name, int32_t offset) { add(name, "@%" PRId64, int64_t(pos_) + offset); }
  void pos_table(const char* name, const int32_t* offsets, uint32_t n) {
    out_ += ' ';
    out_ += name;
    out_ += "=(";
    for (uint32_t i = 0; i < n; ++i) {
      char buf[24];
      std::snprintf(buf, sizeof buf, "%s@%" PRId64, i ? " " : "", int64_t(pos_) + offsets[i]);
      out_ += buf;
    }
    out_ += ')';
  }

 private:
  template <class... A>
  void add(const char* name, const char* format, A... args) {
    char buf[64];
    std::snprintf(buf, sizeof buf, format, args...);
    out_ += ' ';
    out_ += name;
    out_ += '=';
    out_ += buf;
  }

  std::string& out_;
  uint32_t pos_;
};

#define TERN_PRINT(kind, ...) TERN_PRINT_##kind(__VA_ARGS__)
#define TERN_PRINT_DST(name) p.slot(#name, in.name);
#define TERN_PRINT_SRC(name) p.slot(#name, in.name);
#define TERN_PRINT_U32(name) p.u32(#name, in.name);
#define TERN_PRINT_U64(name) p.u64(#name, in.name);
#define TERN_PRINT_FN(name) p.fn(#name, in.name);
#define TERN_PRINT_BYTES16(name) p.bytes16(#name, in.name);
#define TERN_PRINT_POS(name) p.pos(#name, in.name);
#define TERN_PRINT_POS_TABLE(name, count)      \
  p.pos_table(#name, in.name(), in.count + 1); \
  tail = in.count + 1;

// Prints the operands of the instruction at `ip` and returns its length in units.
uint32_t print_operands(Layout layout, const Unit* ip, OperandPrinter& p) {
  uint32_t tail = 0;
  switch (layout) {
#define TERN_X(layout, ...)                                       \
  case Layout::layout: {                                          \
    [[maybe_unused]] const auto& in = ops::view<ops::layout>(ip); \
    TERN_FOR_EACH_OPERAND(TERN_PRINT, __VA_ARGS__)                \
    return ops::kUnits<ops::layout> + tail;                       \
  }
    TERN_INTERP_FIXED_OPS(TERN_X)
    TERN_INTERP_SHARED_LAYOUTS(TERN_X)
#undef TERN_X
  }
  return 1;
}

}  // namespace

const char* op_name(Op op) {
  return size_t(op) < kOpCount ? kOps[size_t(op)].name : "?";
}

std::string disassemble(const FuncCode& code) {
  // Mapped to this file's OpInfo, not to Op: a container instantiated with a type of the
  // anonymous namespace stays internal, where one of Op got exported from libtern.so.
  std::unordered_map<int32_t, const OpInfo*> op_at_offset;
  const int32_t* offsets = handler_offsets();
  for (size_t i = 0; i < kOpCount; ++i) op_at_offset.emplace(offsets[i], &kOps[i]);

  std::string out;
  char line[160];
  std::snprintf(line, sizeof line,
                "func %" PRIu32 ": params %" PRIu32 " bytes, locals %" PRIu32
                " bytes, frame %" PRIu32 " bytes, %zu units\n",
                code.func_index, code.param_bytes, code.locals_bytes, code.frame_bytes,
                code.code.size());
  out += line;
  const std::vector<Unit>& units = code.code;
  for (uint32_t pos = 0; pos < units.size();) {
    std::snprintf(line, sizeof line, "%6" PRIu32 ": ", pos);
    out += line;
    auto it = op_at_offset.find(int32_t(units[pos]));
    if (it == op_at_offset.end()) {
      std::snprintf(line, sizeof line, "<unknown handler %" PRId32 ">\n", int32_t(units[pos]));
      out += line;
      ++pos;
      continue;
    }
    const OpInfo& info = *it->second;
    out += info.name;
    OperandPrinter printer(out, pos);
    pos += print_operands(info.layout, units.data() + pos, printer);
    out += '\n';
  }
  return out;
}

}  // namespace tern::interp
