#include "engine/text/module_parser.h"

#include <algorithm>

#include "engine/text/numbers.h"
#include "engine/text/wast.h"

namespace tern::text {

using Kind = Token::Kind;

bool is_index_token(const Token& t) {
  return t.kind == Kind::Id || (t.kind == Kind::Atom && t.text[0] >= '0' && t.text[0] <= '9');
}

uint32_t IndexSpace::add(const TokenCursor& c, std::optional<std::string_view> id) {
  if (id) {
    auto [it, inserted] = ids_.emplace(std::string(*id), count_);
    if (!inserted) c.fail(std::string("duplicate ") + kind_);
  }
  return count_++;
}

std::vector<std::pair<uint32_t, std::string>> IndexSpace::names() const {
  std::vector<std::pair<uint32_t, std::string>> out;
  out.reserve(ids_.size());
  for (const auto& [id, index] : ids_) out.emplace_back(index, id);
  std::ranges::sort(out);
  return out;
}

uint32_t IndexSpace::resolve(TokenCursor& c) const {
  const Token& t = c.peek();
  if (t.kind == Kind::Id) {
    auto it = ids_.find(std::string(t.text));
    if (it == ids_.end()) c.fail(std::string("unknown ") + kind_);
    c.next();
    return it->second;
  }
  if (!is_index_token(t)) c.unexpected();
  auto v = parse_unsigned(t.text, 32);
  if (!v) c.fail("malformed index");
  c.next();
  return uint32_t(*v);
}

struct ModuleParser::ElemSegment {
  enum class Mode { Passive, Active, Declarative } mode = Mode::Passive;
  uint32_t table = 0;
  Bytes offset;
  ValType type = ValType::FuncRef;
  bool uses_exprs = false;
  std::vector<uint32_t> funcs;
  std::vector<Bytes> exprs;
};

Bytes ModuleParser::parse_fields() {
  size_t start = c_.position();
  while (c_.at(Kind::LParen)) collect_field();
  if (!c_.at(Kind::RParen) && !c_.at(Kind::Eof)) c_.unexpected();
  type_definitions();
  c_.seek(start);
  while (c_.at(Kind::LParen)) encode_field();
  out_.func_names = funcs_.names();
  return out_.encode();
}

IndexSpace& ModuleParser::space_for(std::string_view kind) {
  if (kind == "func") return funcs_;
  if (kind == "table") return tables_;
  if (kind == "memory") return memories_;
  if (kind == "global") return globals_;
  if (kind == "tag") return tags_;
  c_.unexpected();
}

void ModuleParser::note_definition(const char* kind) {
  if (!first_definition_) first_definition_ = kind;
}

void ModuleParser::note_import(const Token& at) {
  if (first_definition_) c_.fail(at, std::string("import after ") + first_definition_);
}

// Pass 1: binds identifiers and records explicit types; every field is skipped afterwards.
void ModuleParser::collect_field() {
  size_t start = c_.position();
  c_.expect_lparen();
  const Token& head = c_.peek();
  std::string_view kind = head.kind == Kind::Atom ? head.text : "";
  c_.next();
  if (kind == "type" || kind == "rec") {
    c_.seek(start);
    collect_types();
  } else if (kind == "import") {
    c_.expect_name();
    c_.expect_name();
    c_.expect_lparen();
    const Token& desc = c_.next();
    space_for(desc.kind == Kind::Atom ? desc.text : "").add(c_, c_.take_id());
    note_import(head);
  } else if (kind == "func" || kind == "table" || kind == "memory" || kind == "global" ||
             kind == "tag") {
    auto id = c_.take_id();
    while (c_.at_form("export")) c_.skip_sexpr();
    space_for(kind).add(c_, id);
    if (c_.at_form("import")) {
      note_import(c_.peek());
    } else {
      note_definition(kind == "func"     ? "function"
                      : kind == "table"  ? "table"
                      : kind == "memory" ? "memory"
                      : kind == "tag"    ? "tag"
                                         : "global");
      if (kind == "table" || kind == "memory") addr_type();
      // A reference type here (its type index maybe not bound yet) means `(table rt (elem …))`.
      bool ref_form = c_.at_form("ref");
      if (ref_form) c_.skip_sexpr();
      if (kind == "table" && (ref_form || take_val_type()) && c_.at_form("elem")) {
        elems_.add(c_, {});
      }
      if (kind == "memory" && c_.at_form("data")) datas_.add(c_, {});
    }
  } else if (kind == "elem") {
    elems_.add(c_, c_.take_id());
  } else if (kind == "data") {
    datas_.add(c_, c_.take_id());
  } else if (kind != "export" && kind != "start") {
    c_.fail(head, "unknown module field");
  }
  c_.seek(start);
  c_.skip_sexpr();
}

void ModuleParser::encode_field() {
  const Token& head = c_.peek(1);
  if (c_.at_form("type") || c_.at_form("rec")) {
    c_.skip_sexpr();  // recorded in pass 1
  } else if (c_.at_form("import")) {
    import_field();
  } else if (c_.at_form("func")) {
    func_field();
  } else if (c_.at_form("table")) {
    table_field();
  } else if (c_.at_form("memory")) {
    memory_field();
  } else if (c_.at_form("global")) {
    global_field();
  } else if (c_.at_form("export")) {
    export_field();
  } else if (c_.at_form("start")) {
    start_field();
  } else if (c_.at_form("elem")) {
    elem_field();
  } else if (c_.at_form("data")) {
    data_field();
  } else if (c_.at_form("tag")) {
    tag_field();
  } else {
    c_.fail(head, "unknown module field");
  }
}

FuncType ModuleParser::signature(ParamIds* ids) {
  FuncType t;
  while (c_.take_form("param")) {
    if (c_.at(Kind::Id)) {
      if (!ids) c_.unexpected();  // block types and call_indirect bind no names
      ids->push_back(std::string(c_.next().text));
      t.params.push_back(expect_val_type());
    } else {
      while (!c_.at(Kind::RParen)) {
        t.params.push_back(expect_val_type());
        if (ids) ids->push_back(std::nullopt);
      }
    }
    c_.expect_rparen();
  }
  while (c_.take_form("result")) {
    while (!c_.at(Kind::RParen)) t.results.push_back(expect_val_type());
    c_.expect_rparen();
  }
  return t;
}

uint32_t ModuleParser::type_index_of(const FuncType& t) {
  for (size_t i = 0; i < out_.types.size(); ++i) {
    // An inline type use means a plain function type: final, alone in its group.
    bool plain = i >= out_.type_defs.size() ||
                 (out_.type_defs[i].group_size == 1 && !out_.type_defs[i].starts_rec &&
                  out_.type_defs[i].final && out_.type_defs[i].supertypes.empty() &&
                  out_.type_defs[i].kind == CompositeKind::Func);
    if (plain && out_.types[i] == t) return uint32_t(i);
  }
  out_.types.push_back(t);
  return uint32_t(out_.types.size() - 1);
}

// typeuse: `(type x)`, inline `(param …)* (result …)*`, or both (which must agree).
uint32_t ModuleParser::type_use(ParamIds* ids) {
  const Token& at = c_.peek();
  std::optional<uint32_t> index;
  if (c_.take_form("type")) {
    index = types_.resolve(c_);
    c_.expect_rparen();
  }
  bool has_inline = c_.at_form("param") || c_.at_form("result");
  FuncType t = signature(ids);
  if (!index) return type_index_of(t);
  bool known = *index < out_.types.size();
  if (has_inline && (!known || out_.types[*index] != t)) c_.fail(at, "inline function type");
  if (!has_inline && ids && known) ids->assign(out_.types[*index].params.size(), std::nullopt);
  return *index;
}

void ModuleParser::inline_exports(ExternKind kind, uint32_t index) {
  while (c_.take_form("export")) {
    ByteWriter e;
    e.name(c_.expect_name());
    e.u8(uint8_t(kind));
    e.u32(index);
    c_.expect_rparen();
    out_.exports.push_back(e.take());
  }
}

std::optional<std::pair<std::string, std::string>> ModuleParser::inline_import() {
  if (!c_.take_form("import")) return std::nullopt;
  std::pair<std::string, std::string> names;
  names.first = c_.expect_name();
  names.second = c_.expect_name();
  c_.expect_rparen();
  return names;
}

Bytes ModuleParser::import_entry(const std::pair<std::string, std::string>& names, ExternKind kind,
                                 const Bytes& desc) {
  ByteWriter e;
  e.name(names.first);
  e.name(names.second);
  e.u8(uint8_t(kind));
  e.raw(desc);
  return e.take();
}

AddrType ModuleParser::addr_type() {
  if (c_.take_atom("i64")) return AddrType::I64;
  c_.take_atom("i32");
  return AddrType::I32;
}

// Bounds are u64 whatever the address type: the validator bounds an i32 memory's or table's.
Limits ModuleParser::limits() {
  Limits l;
  auto number = [&] {
    const Token& t = c_.peek();
    if (t.kind != Kind::Atom) c_.unexpected();
    auto v = parse_unsigned(t.text, 64);
    if (!v) c_.fail(t, "i64 constant out of range");
    c_.next();
    return *v;
  };
  l.min = number();
  if (c_.at(Kind::Atom) && is_index_token(c_.peek())) l.max = number();
  return l;
}

Bytes ModuleParser::table_type() {
  AddrType addr = addr_type();
  Limits l = limits();
  ByteWriter w;
  w.val_type(expect_ref_type());
  w.limits(l, addr);
  return w.take();
}

Bytes ModuleParser::memory_type() {
  AddrType addr = addr_type();
  ByteWriter w;
  w.limits(limits(), addr);
  return w.take();
}

namespace {
// The constant expression `at.const 0` of an abbreviated segment's offset.
Bytes zero_offset(AddrType addr) {
  return {uint8_t(addr == AddrType::I64 ? 0x42 : 0x41), 0x00, 0x0B};
}
}  // namespace

Bytes ModuleParser::global_type() {
  ByteWriter w;
  if (c_.take_form("mut")) {
    w.val_type(expect_val_type());
    w.u8(1);
    c_.expect_rparen();
  } else {
    w.val_type(expect_val_type());
    w.u8(0);
  }
  return w.take();
}

void ModuleParser::import_field() {
  c_.take_form("import");
  std::pair<std::string, std::string> names;
  names.first = c_.expect_name();
  names.second = c_.expect_name();
  c_.expect_lparen();
  ByteWriter desc;
  ExternKind kind;
  if (c_.take_atom("func")) {
    kind = ExternKind::Func;
    ++next_func_;
    c_.take_id();
    ParamIds ignored;
    desc.u32(type_use(&ignored));
  } else if (c_.take_atom("table")) {
    kind = ExternKind::Table;
    ++next_table_;
    c_.take_id();
    desc.raw(table_type());
  } else if (c_.take_atom("memory")) {
    kind = ExternKind::Memory;
    ++next_memory_;
    c_.take_id();
    desc.raw(memory_type());
  } else if (c_.take_atom("global")) {
    kind = ExternKind::Global;
    ++next_global_;
    c_.take_id();
    desc.raw(global_type());
  } else if (c_.take_atom("tag")) {
    kind = ExternKind::Tag;
    ++next_tag_;
    c_.take_id();
    desc.raw(tag_type());
  } else {
    c_.unexpected();
  }
  c_.expect_rparen();
  c_.expect_rparen();
  out_.imports.push_back(import_entry(names, kind, desc.bytes()));
}

void ModuleParser::func_field() {
  c_.take_form("func");
  c_.take_id();
  uint32_t index = next_func_++;
  inline_exports(ExternKind::Func, index);
  if (auto names = inline_import()) {
    ByteWriter desc;
    ParamIds ignored;
    desc.u32(type_use(&ignored));
    c_.expect_rparen();
    out_.imports.push_back(import_entry(*names, ExternKind::Func, desc.bytes()));
    return;
  }
  ParamIds param_ids;
  uint32_t type = type_use(&param_ids);
  locals_.clear();
  for (const auto& id : param_ids) locals_.add(c_, id);
  std::vector<ValType> locals;
  while (c_.take_form("local")) {
    if (auto id = c_.take_id()) {
      locals.push_back(expect_val_type());
      locals_.add(c_, id);
    } else {
      while (!c_.at(Kind::RParen)) {
        locals.push_back(expect_val_type());
        locals_.add(c_, std::nullopt);
      }
    }
    c_.expect_rparen();
  }
  ByteWriter body;
  std::vector<std::pair<uint32_t, ValType>> runs;
  for (ValType t : locals) {
    if (!runs.empty() && runs.back().second == t) {
      ++runs.back().first;
    } else {
      runs.push_back({1, t});
    }
  }
  body.u32(uint32_t(runs.size()));
  for (auto [n, t] : runs) {
    body.u32(n);
    body.val_type(t);
  }
  labels_.clear();
  instrs(body);
  c_.expect_rparen();
  body.u8(0x0B);
  ByteWriter code;
  code.u32(uint32_t(body.bytes().size()));
  code.raw(body.bytes());
  out_.funcs.push_back(type);
  out_.codes.push_back(code.take());
}

void ModuleParser::table_field() {
  c_.take_form("table");
  c_.take_id();
  uint32_t index = next_table_++;
  inline_exports(ExternKind::Table, index);
  if (auto names = inline_import()) {
    Bytes desc = table_type();
    c_.expect_rparen();
    out_.imports.push_back(import_entry(*names, ExternKind::Table, desc));
    return;
  }
  AddrType addr = addr_type();
  if (auto type = take_val_type()) {
    // `(table at? reftype (elem …))`: a table sized to an active segment that fills it.
    if (!is_ref(*type) || !c_.take_form("elem")) c_.unexpected();
    ElemSegment s;
    s.mode = ElemSegment::Mode::Active;
    s.table = index;
    s.type = *type;
    s.offset = zero_offset(addr);
    s.uses_exprs = c_.at(Kind::LParen);
    while (!c_.at(Kind::RParen)) {
      if (s.uses_exprs) {
        s.exprs.push_back(const_expr_form("item"));
      } else {
        s.funcs.push_back(funcs_.resolve(c_));
      }
    }
    c_.expect_rparen();
    c_.expect_rparen();
    uint32_t n = uint32_t(s.uses_exprs ? s.exprs.size() : s.funcs.size());
    ByteWriter t;
    t.val_type(*type);
    t.limits({n, n}, addr);
    out_.tables.push_back(t.take());
    out_.elems.push_back(encode_elem(s));
    return;
  }
  Limits l = limits();
  ValType elem = expect_ref_type();
  ByteWriter t;
  // An initializer expression (typed references): 0x40 0x00, the table type, the expression.
  bool has_init = !c_.at(Kind::RParen);
  if (has_init) t.raw(Bytes{0x40, 0x00});
  t.val_type(elem);
  t.limits(l, addr);
  if (has_init) t.raw(const_expr());
  out_.tables.push_back(t.take());
  c_.expect_rparen();
}

void ModuleParser::memory_field() {
  c_.take_form("memory");
  c_.take_id();
  uint32_t index = next_memory_++;
  inline_exports(ExternKind::Memory, index);
  if (auto names = inline_import()) {
    Bytes desc = memory_type();
    c_.expect_rparen();
    out_.imports.push_back(import_entry(*names, ExternKind::Memory, desc));
    return;
  }
  ByteWriter m;
  AddrType addr = addr_type();
  if (c_.take_form("data")) {
    // `(memory (data …))`: a memory just large enough for one active segment at 0.
    std::string bytes;
    while (c_.at(Kind::String)) bytes += c_.next().value;
    c_.expect_rparen();
    uint64_t pages = (bytes.size() + kPageSize - 1) / kPageSize;
    m.limits({pages, pages}, addr);
    ByteWriter d;
    if (index == 0) {
      d.u8(0x00);
    } else {
      d.u8(0x02);
      d.u32(index);
    }
    d.raw(zero_offset(addr));
    d.name(bytes);
    out_.datas.push_back(d.take());
  } else {
    m.limits(limits(), addr);
  }
  c_.expect_rparen();
  out_.memories.push_back(m.take());
}

// A tag's type: attribute 0 (exception), then its type use.
Bytes ModuleParser::tag_type() {
  ByteWriter w;
  w.u8(0);
  w.u32(type_use(nullptr));
  return w.take();
}

void ModuleParser::tag_field() {
  c_.take_form("tag");
  c_.take_id();
  uint32_t index = next_tag_++;
  inline_exports(ExternKind::Tag, index);
  auto names = inline_import();
  Bytes type = tag_type();
  c_.expect_rparen();
  if (names) {
    out_.imports.push_back(import_entry(*names, ExternKind::Tag, type));
  } else {
    out_.tags.push_back(std::move(type));
  }
}

void ModuleParser::global_field() {
  c_.take_form("global");
  c_.take_id();
  uint32_t index = next_global_++;
  inline_exports(ExternKind::Global, index);
  auto names = inline_import();
  Bytes type = global_type();
  if (names) {
    c_.expect_rparen();
    out_.imports.push_back(import_entry(*names, ExternKind::Global, type));
    return;
  }
  ByteWriter g;
  g.raw(type);
  g.raw(const_expr());
  c_.expect_rparen();
  out_.globals.push_back(g.take());
}

void ModuleParser::export_field() {
  c_.take_form("export");
  ByteWriter e;
  e.name(c_.expect_name());
  c_.expect_lparen();
  const Token& kind = c_.next();
  std::string_view k = kind.kind == Kind::Atom ? kind.text : "";
  ExternKind ek = k == "func"     ? ExternKind::Func
                  : k == "table"  ? ExternKind::Table
                  : k == "memory" ? ExternKind::Memory
                  : k == "tag"    ? ExternKind::Tag
                                  : ExternKind::Global;
  if (k != "func" && k != "table" && k != "memory" && k != "global" && k != "tag")
    c_.fail(kind, "unexpected token");
  e.u8(uint8_t(ek));
  e.u32(space_for(k).resolve(c_));
  c_.expect_rparen();
  c_.expect_rparen();
  out_.exports.push_back(e.take());
}

void ModuleParser::start_field() {
  const Token& at = c_.peek();
  c_.take_form("start");
  if (out_.start) c_.fail(at, "multiple start sections");
  out_.start = funcs_.resolve(c_);
  c_.expect_rparen();
}

// `(KEYWORD instr*)` or the abbreviation of a single folded instruction, as a constant
// expression with its end opcode. KEYWORD is "offset" for segment offsets, "item" for elements.
Bytes ModuleParser::const_expr_form(const char* keyword) {
  if (c_.take_form(keyword)) {
    Bytes e = const_expr();
    c_.expect_rparen();
    return e;
  }
  ByteWriter w;
  folded_instr(w);
  w.u8(0x0B);
  return w.take();
}

void ModuleParser::elem_field() {
  c_.take_form("elem");
  c_.take_id();
  ElemSegment s;
  bool explicit_table = false;
  if (c_.take_atom("declare")) {
    s.mode = ElemSegment::Mode::Declarative;
  } else {
    if (c_.take_form("table")) {
      s.table = tables_.resolve(c_);
      c_.expect_rparen();
      explicit_table = true;
    }
    // An offset, unless the `(` opens the segment's reference type `(ref …)`.
    if (explicit_table || (c_.at(Kind::LParen) && !c_.at_form("ref"))) {
      s.mode = ElemSegment::Mode::Active;
      s.offset = const_expr_form("offset");
    }
  }
  if (!c_.take_atom("func")) {
    if (auto type = take_val_type()) {
      if (!is_ref(*type)) c_.unexpected();
      s.type = *type;
      s.uses_exprs = true;
    } else {
      // `(elem offset funcidx*)`: the abbreviation of an active function segment.
      if (s.mode != ElemSegment::Mode::Active) c_.unexpected();
    }
  }
  while (!c_.at(Kind::RParen)) {
    if (s.uses_exprs) {
      s.exprs.push_back(const_expr_form("item"));
    } else {
      s.funcs.push_back(funcs_.resolve(c_));
    }
  }
  c_.expect_rparen();
  out_.elems.push_back(encode_elem(s));
}

// The binary format's eight element segment forms: bit 0 passive/declarative, bit 1 explicit
// table index (active) or declarative, bit 2 expressions instead of function indices.
Bytes ModuleParser::encode_elem(const ElemSegment& segment) {
  using Mode = ElemSegment::Mode;
  // Function indices encode as such for funcref and (ref func) only; a segment of another
  // reference type (`(table (ref null $t) (elem $f))`) lists them as ref.func expressions.
  ElemSegment s = segment;
  if (!s.uses_exprs && s.type != ValType::FuncRef && s.type != ref_type(HeapKind::Func, false)) {
    for (uint32_t f : s.funcs) {
      ByteWriter e;
      e.u8(0xD2);
      e.u32(f);
      e.u8(0x0B);
      s.exprs.push_back(e.take());
    }
    s.uses_exprs = true;
  }
  bool table_zero_funcref = s.table == 0 && s.type == ValType::FuncRef;
  uint8_t flags = s.uses_exprs ? 4 : 0;
  if (s.mode == Mode::Passive) flags |= 1;
  if (s.mode == Mode::Declarative) flags |= 3;
  if (s.mode == Mode::Active && !table_zero_funcref) flags |= 2;
  ByteWriter w;
  w.u8(flags);
  if (flags & 2 && s.mode == Mode::Active) w.u32(s.table);
  if (s.mode == Mode::Active) w.raw(s.offset);
  if (flags & 3) {
    if (s.uses_exprs) {
      w.val_type(s.type);
    } else {
      w.u8(0x00);  // elemkind funcref
    }
  }
  if (s.uses_exprs) {
    w.u32(uint32_t(s.exprs.size()));
    for (const Bytes& e : s.exprs) w.raw(e);
  } else {
    w.u32(uint32_t(s.funcs.size()));
    for (uint32_t f : s.funcs) w.u32(f);
  }
  return w.take();
}

void ModuleParser::data_field() {
  c_.take_form("data");
  c_.take_id();
  std::optional<uint32_t> memory;
  Bytes offset;
  if (c_.take_form("memory")) {
    memory = memories_.resolve(c_);
    c_.expect_rparen();
  }
  if (memory || c_.at(Kind::LParen)) {
    if (!memory) memory = 0;
    offset = const_expr_form("offset");
  }
  std::string bytes;
  while (c_.at(Kind::String)) bytes += c_.next().value;
  c_.expect_rparen();
  ByteWriter d;
  if (!memory) {
    d.u8(0x01);
  } else if (*memory == 0) {
    d.u8(0x00);
    d.raw(offset);
  } else {
    d.u8(0x02);
    d.u32(*memory);
    d.raw(offset);
  }
  d.name(bytes);
  out_.datas.push_back(d.take());
}

Result<std::vector<uint8_t>> wat_to_binary(std::string_view source) {
  auto tokens = tokenize(source);
  if (!tokens.ok()) return tokens.take_error();
  TokenCursor c(source, tokens.value());
  try {
    Bytes binary;
    if (c.take_form("module")) {
      c.take_id();
      if (c.take_atom("binary")) {
        while (c.at(Kind::String)) {
          const std::string& s = c.next().value;
          binary.insert(binary.end(), s.begin(), s.end());
        }
      } else {
        binary = ModuleParser(c).parse_fields();
      }
      c.expect_rparen();
    } else {
      binary = ModuleParser(c).parse_fields();
    }
    c.expect(Kind::Eof);
    return binary;
  } catch (ParseError& e) {
    return std::move(e.error);
  }
}

}  // namespace tern::text
