// Instructions (spec text/instructions.rst): plain and folded forms, structured control with
// labels, and each immediate kind of engine/opcodes.def.
#include "engine/text/module_parser.h"
#include "engine/text/numbers.h"

namespace tern::text {

using Kind = Token::Kind;

namespace {

bool is_block(Opcode op) {
  return op == Opcode::Block || op == Opcode::Loop || op == Opcode::If;
}

void write_opcode(Opcode op, ByteWriter& out) {
  const OpcodeInfo& i = info(op);
  if (i.prefix) {
    out.u8(i.prefix);
    out.u32(i.code);
  } else {
    out.u8(uint8_t(i.code));
  }
}

// A numeric literal token's text, or a failure naming what was expected.
std::string_view number_text(TokenCursor& c) {
  if (!c.at(Kind::Atom)) c.unexpected();
  return c.peek().text;
}

uint64_t int_literal(TokenCursor& c, unsigned bits) {
  auto v = parse_int(number_text(c), bits);
  if (!v) c.fail(bits == 64 ? "i64 constant out of range" : "i32 constant out of range");
  c.next();
  return *v;
}

uint32_t f32_literal(TokenCursor& c) {
  auto v = parse_f32(number_text(c));
  if (!v) c.fail("f32 constant out of range");
  c.next();
  return *v;
}

uint64_t f64_literal(TokenCursor& c) {
  auto v = parse_f64(number_text(c));
  if (!v) c.fail("f64 constant out of range");
  c.next();
  return *v;
}

}  // namespace

V128 parse_v128_literal(TokenCursor& c) {
  struct Shape {
    std::string_view name;
    unsigned lanes;
    unsigned bits;
    bool is_float;
  };
  static constexpr Shape kShapes[] = {{"i8x16", 16, 8, false}, {"i16x8", 8, 16, false},
                                      {"i32x4", 4, 32, false}, {"i64x2", 2, 64, false},
                                      {"f32x4", 4, 32, true},  {"f64x2", 2, 64, true}};
  const Token& shape_token = c.peek();
  for (const Shape& shape : kShapes) {
    if (!c.take_atom(shape.name)) continue;
    V128 v{};
    for (unsigned lane = 0; lane < shape.lanes; ++lane) {
      if (!c.at(Kind::Atom)) c.fail("wrong number of lane literals");
      uint64_t bits = shape.is_float ? (shape.bits == 32 ? f32_literal(c) : f64_literal(c))
                                     : int_literal(c, shape.bits);
      for (unsigned b = 0; b < shape.bits / 8; ++b) {
        v.bytes[lane * shape.bits / 8 + b] = uint8_t(bits >> (8 * b));
      }
    }
    return v;
  }
  c.fail(shape_token, "unexpected token");
}

Bytes ModuleParser::const_expr() {
  ByteWriter w;
  instrs(w);
  w.u8(0x0B);
  return w.take();
}

void ModuleParser::instrs(ByteWriter& out) {
  while (true) {
    if (c_.at(Kind::LParen)) {
      folded_instr(out);
    } else if (c_.at(Kind::Atom) && !c_.at_atom("end") && !c_.at_atom("else") &&
               !c_.at_atom("catch") && !c_.at_atom("catch_all") && !c_.at_atom("delegate")) {
      plain_instr(out);
    } else {
      return;
    }
  }
}

void ModuleParser::plain_instr(ByteWriter& out) {
  const Token& t = c_.peek();
  auto op = opcode_from_text(t.text);
  if (!op || *op == Opcode::Else || *op == Opcode::End) c_.fail(t, "unknown operator");
  c_.next();
  if (is_block(*op)) {
    block_instr(*op, out, false);
  } else if (*op == Opcode::TryTable) {
    try_table_instr(out, false);
  } else if (*op == Opcode::Try) {
    try_instr(out, false);
  } else {
    operation(*op, out);
  }
}

void ModuleParser::folded_instr(ByteWriter& out) {
  NestingGuard guard(*this);
  c_.expect_lparen();
  const Token& t = c_.peek();
  auto op = t.kind == Kind::Atom ? opcode_from_text(t.text) : std::nullopt;
  if (!op || *op == Opcode::Else || *op == Opcode::End) {
    c_.fail(t, t.kind == Kind::Atom ? "unknown operator" : "unexpected token");
  }
  c_.next();
  if (is_block(*op)) {
    block_instr(*op, out, true);
    return;
  }
  if (*op == Opcode::TryTable) return try_table_instr(out, true);
  if (*op == Opcode::Try) return try_instr(out, true);
  ByteWriter self;
  operation(*op, self);
  while (c_.at(Kind::LParen)) folded_instr(out);
  c_.expect_rparen();
  out.raw(self.bytes());
}

// block/loop/if after its keyword, in plain (`… end`) or folded (`(… )`) form.
void ModuleParser::block_instr(Opcode op, ByteWriter& out, bool folded) {
  NestingGuard guard(*this);
  std::optional<std::string> label;
  if (auto id = c_.take_id()) label = std::string(*id);
  ByteWriter type;
  block_type(type);
  if (folded && op == Opcode::If) {
    while (c_.at(Kind::LParen) && !c_.at_form("then")) folded_instr(out);
  }
  write_opcode(op, out);
  out.raw(type.bytes());
  labels_.push_back(label);
  if (folded && op == Opcode::If) {
    if (!c_.take_form("then")) c_.unexpected();
    instrs(out);
    c_.expect_rparen();
    if (c_.take_form("else")) {
      out.u8(0x05);
      instrs(out);
      c_.expect_rparen();
    }
    c_.expect_rparen();
  } else if (folded) {
    instrs(out);
    c_.expect_rparen();
  } else {
    instrs(out);
    if (op == Opcode::If && c_.take_atom("else")) {
      end_label(label);
      out.u8(0x05);
      instrs(out);
    }
    c_.expect_atom("end");
    end_label(label);
  }
  labels_.pop_back();
  out.u8(0x0B);
}

// An identifier after `else`/`end` must repeat the block's label.
void ModuleParser::end_label(const std::optional<std::string>& label) {
  const Token& t = c_.peek();
  if (auto id = c_.take_id()) {
    if (!label || *label != *id) c_.fail(t, "mismatching label");
  }
}

void ModuleParser::block_type(ByteWriter& out) {
  if (c_.at_form("type")) {
    out.s64(type_use(nullptr));
    return;
  }
  FuncType t = signature(nullptr);
  if (t.params.empty() && t.results.empty()) {
    out.u8(0x40);
  } else if (t.params.empty() && t.results.size() == 1) {
    out.val_type(t.results[0]);
  } else {
    out.s64(type_index_of(t));
  }
}

uint32_t ModuleParser::label_index() {
  const Token& t = c_.peek();
  if (t.kind == Kind::Id) {
    for (size_t i = labels_.size(); i-- > 0;) {
      if (labels_[i] && *labels_[i] == t.text) {
        c_.next();
        return uint32_t(labels_.size() - 1 - i);
      }
    }
    c_.fail("unknown label");
  }
  if (!is_index_token(t)) c_.unexpected();
  auto v = parse_unsigned(t.text, 32);
  if (!v) c_.fail("malformed label index");
  c_.next();
  return uint32_t(*v);
}

uint8_t ModuleParser::lane_index() {
  if (!c_.at(Kind::Atom)) c_.unexpected();
  auto v = parse_unsigned(c_.peek().text, 8);
  if (!v) c_.fail("malformed lane index");
  c_.next();
  return uint8_t(*v);
}

// `memory? offset=? align=?`: the memory index goes in the binary only when it is not 0 (flag
// bit 6, multi-memory); the offset is a u64, which the validator bounds by the memory's address
// type (memory64).
void ModuleParser::mem_arg(const OpcodeInfo& i, ByteWriter& out, bool lane_follows) {
  // Before a lane index, a lone number is the lane: a number is a memory index only when more
  // immediates follow it.
  auto is_immediate = [](const Token& t) {
    return is_index_token(t) || t.text.starts_with("offset=") || t.text.starts_with("align=");
  };
  bool has_memory = lane_follows ? c_.peek().kind == Kind::Id ||
                                       (is_index_token(c_.peek()) && is_immediate(c_.peek(1)))
                                 : is_index_token(c_.peek());
  uint32_t memory = has_memory ? memories_.resolve(c_) : 0;
  uint64_t offset = 0;
  uint64_t align = i.n;
  if (c_.at(Kind::Atom) && c_.peek().text.substr(0, 7) == "offset=") {
    auto v = parse_unsigned(c_.peek().text.substr(7), 64);
    if (!v) c_.fail("i64 constant out of range");
    offset = *v;
    c_.next();
  }
  if (c_.at(Kind::Atom) && c_.peek().text.substr(0, 6) == "align=") {
    auto v = parse_unsigned(c_.peek().text.substr(6), 64);
    if (!v || *v == 0 || (*v & (*v - 1))) c_.fail("alignment");
    align = *v;
    c_.next();
  }
  uint32_t log2 = 0;
  while ((uint64_t(1) << log2) < align) ++log2;
  constexpr uint32_t kHasMemoryIndex = 0x40;
  if (memory != 0) {
    out.u32(log2 | kHasMemoryIndex);
    out.u32(memory);
  } else {
    out.u32(log2);
  }
  out.u64(offset);
}

uint32_t ModuleParser::memory_index() {
  return is_index_token(c_.peek()) ? memories_.resolve(c_) : 0;
}

// One non-block instruction after its keyword: the opcode and its immediates.
void ModuleParser::operation(Opcode op, ByteWriter& out) {
  if (op == Opcode::Select && c_.at_form("result")) {
    std::vector<ValType> types;
    while (c_.take_form("result")) {
      while (!c_.at(Kind::RParen)) types.push_back(expect_val_type());
      c_.expect_rparen();
    }
    write_opcode(Opcode::SelectT, out);
    out.u32(uint32_t(types.size()));
    for (ValType t : types) out.val_type(t);
    return;
  }
  if (op == Opcode::RefTest || op == Opcode::RefCast || op == Opcode::BrOnCast ||
      op == Opcode::BrOnCastFail) {
    return cast_instr(op, out);
  }
  if (op == Opcode::MemoryInit || op == Opcode::DataDrop || op == Opcode::ArrayNewData ||
      op == Opcode::ArrayInitData) {
    out_.needs_data_count = true;
  }
  write_opcode(op, out);
  immediates(op, out);
}

void ModuleParser::immediates(Opcode op, ByteWriter& out) {
  const OpcodeInfo& i = info(op);
  switch (i.imm) {
    case ImmKind::None:
    case ImmKind::Block:     // handled by block_instr
    case ImmKind::TryTable:  // handled by try_table_instr
    case ImmKind::SelectT:   // handled by operation
    case ImmKind::HeapType:  // handled by cast_instr
    case ImmKind::BrOnCast:  // handled by cast_instr
      break;
    case ImmKind::Tag:
      out.u32(tags_.resolve(c_));
      break;
    case ImmKind::Type:
      out.u32(types_.resolve(c_));
      break;
    case ImmKind::Label:
      out.u32(label_index());
      break;
    case ImmKind::BrTable: {
      std::vector<uint32_t> labels;
      while (is_index_token(c_.peek())) labels.push_back(label_index());
      if (labels.empty()) c_.unexpected();
      out.u32(uint32_t(labels.size() - 1));
      for (uint32_t l : labels) out.u32(l);
      break;
    }
    case ImmKind::Func:
      out.u32(funcs_.resolve(c_));
      break;
    case ImmKind::CallIndirect: {
      uint32_t table = is_index_token(c_.peek()) ? tables_.resolve(c_) : 0;
      out.u32(type_use(nullptr));
      out.u32(table);
      break;
    }
    case ImmKind::Local:
      out.u32(locals_.resolve(c_));
      break;
    case ImmKind::Global:
      out.u32(globals_.resolve(c_));
      break;
    case ImmKind::Table:
      out.u32(is_index_token(c_.peek()) ? tables_.resolve(c_) : 0);
      break;
    case ImmKind::Mem:
      out.u32(memory_index());
      break;
    case ImmKind::MemArg:
      mem_arg(i, out, false);
      break;
    case ImmKind::MemArgLane:
      mem_arg(i, out, true);
      out.u8(lane_index());
      break;
    case ImmKind::Lane:
      out.u8(lane_index());
      break;
    case ImmKind::Shuffle:
      for (int lane = 0; lane < 16; ++lane) {
        if (!c_.at(Kind::Atom)) c_.fail("invalid lane length");
        out.u8(lane_index());
      }
      break;
    case ImmKind::I32:
      out.s32(int32_t(uint32_t(int_literal(c_, 32))));
      break;
    case ImmKind::I64:
      out.s64(int64_t(int_literal(c_, 64)));
      break;
    case ImmKind::F32:
      out.f32(f32_literal(c_));
      break;
    case ImmKind::F64:
      out.f64(f64_literal(c_));
      break;
    case ImmKind::V128: {
      V128 v = parse_v128_literal(c_);
      for (uint8_t b : v.bytes) out.u8(b);
      break;
    }
    case ImmKind::RefType:
      out.heap_type(expect_heap_type(true));
      break;
    case ImmKind::Elem:
      out.u32(elems_.resolve(c_));
      break;
    case ImmKind::Data:
      out.u32(datas_.resolve(c_));
      break;
    case ImmKind::MemInit: {
      // `memory.init memory? data`: a memory index only when two indices follow.
      uint32_t memory = is_index_token(c_.peek(1)) ? memory_index() : 0;
      out.u32(datas_.resolve(c_));
      out.u32(memory);
      break;
    }
    case ImmKind::MemCopy: {
      uint32_t dst = memory_index();
      uint32_t src = memory_index();
      out.u32(dst);
      out.u32(src);
      break;
    }
    case ImmKind::TableInit: {
      uint32_t table = 0;
      if (is_index_token(c_.peek(1))) table = tables_.resolve(c_);
      out.u32(elems_.resolve(c_));
      out.u32(table);
      break;
    }
    case ImmKind::TypeField: {
      uint32_t type = types_.resolve(c_);
      out.u32(type);
      out.u32(field_index(type));
      break;
    }
    case ImmKind::TypeCount: {
      out.u32(types_.resolve(c_));
      const Token& t = c_.peek();
      auto n = t.kind == Kind::Atom ? parse_unsigned(t.text, 32) : std::nullopt;
      if (!n) c_.unexpected();
      c_.next();
      out.u32(uint32_t(*n));
      break;
    }
    case ImmKind::TypeData:
      out.u32(types_.resolve(c_));
      out.u32(datas_.resolve(c_));
      break;
    case ImmKind::TypeElem:
      out.u32(types_.resolve(c_));
      out.u32(elems_.resolve(c_));
      break;
    case ImmKind::TypeType:
      out.u32(types_.resolve(c_));
      out.u32(types_.resolve(c_));
      break;
    case ImmKind::TableCopy: {
      uint32_t dst = 0, src = 0;
      if (is_index_token(c_.peek())) {
        dst = tables_.resolve(c_);
        src = tables_.resolve(c_);
      }
      out.u32(dst);
      out.u32(src);
      break;
    }
  }
}

}  // namespace tern::text
