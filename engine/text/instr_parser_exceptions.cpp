// Exception handling's block instructions in the text format: try_table with its catch clauses,
// and the legacy try with catch/catch_all arms or a delegate, each plain (`… end`) or folded.
#include "engine/decoder/instr.h"
#include "engine/text/module_parser.h"

namespace tern::text {

using Kind = Token::Kind;

namespace {

void write_byte_opcode(Opcode op, ByteWriter& out) {
  out.u8(uint8_t(info(op).code));
}

}  // namespace

// `(catch $tag $label)`, `(catch_ref …)`, `(catch_all $label)`, `(catch_all_ref …)`: labels are
// those around the try_table, whose own label is not bound yet.
void ModuleParser::catch_clauses(ByteWriter& out) {
  ByteWriter clauses;
  uint32_t n = 0;
  while (true) {
    CatchKind kind;
    if (c_.take_form("catch")) {
      kind = CatchKind::Catch;
    } else if (c_.take_form("catch_ref")) {
      kind = CatchKind::CatchRef;
    } else if (c_.take_form("catch_all")) {
      kind = CatchKind::CatchAll;
    } else if (c_.take_form("catch_all_ref")) {
      kind = CatchKind::CatchAllRef;
    } else {
      break;
    }
    clauses.u8(uint8_t(kind));
    if (kind == CatchKind::Catch || kind == CatchKind::CatchRef) clauses.u32(tags_.resolve(c_));
    clauses.u32(label_index());
    c_.expect_rparen();
    ++n;
  }
  out.u32(n);
  out.raw(clauses.bytes());
}

void ModuleParser::try_table_instr(ByteWriter& out, bool folded) {
  NestingGuard guard(*this);
  std::optional<std::string> label;
  if (auto id = c_.take_id()) label = std::string(*id);
  ByteWriter head;
  block_type(head);
  catch_clauses(head);
  write_byte_opcode(Opcode::TryTable, out);
  out.raw(head.bytes());
  labels_.push_back(label);
  instrs(out);
  if (folded) {
    c_.expect_rparen();
  } else {
    c_.expect_atom("end");
    end_label(label);
  }
  labels_.pop_back();
  out.u8(0x0B);
}

// try bt instr* (catch x instr*)* (catch_all instr*)? end, or try bt instr* delegate l; folded:
// (try bt (do instr*) (catch x instr*)* (catch_all instr*)?) or (try bt (do …) (delegate l)).
void ModuleParser::try_instr(ByteWriter& out, bool folded) {
  NestingGuard guard(*this);
  std::optional<std::string> label;
  if (auto id = c_.take_id()) label = std::string(*id);
  write_byte_opcode(Opcode::Try, out);
  block_type(out);
  labels_.push_back(label);
  if (folded) {
    if (!c_.take_form("do")) c_.unexpected();
    instrs(out);
    c_.expect_rparen();
  } else {
    instrs(out);
  }
  // The arms: catch $tag …, then at most one catch_all; or a delegate instead.
  auto take_keyword = [&](const char* word) {
    return folded ? c_.take_form(word) : c_.take_atom(word);
  };
  bool delegated = false;
  if (take_keyword("delegate")) {
    labels_.pop_back();  // delegate's label is outside the try
    write_byte_opcode(Opcode::Delegate, out);
    out.u32(label_index());
    if (folded) c_.expect_rparen();
    delegated = true;
  } else {
    bool saw_catch_all = false;
    while (true) {
      if (!saw_catch_all && take_keyword("catch")) {
        write_byte_opcode(Opcode::Catch, out);
        out.u32(tags_.resolve(c_));
      } else if (!saw_catch_all && take_keyword("catch_all")) {
        write_byte_opcode(Opcode::CatchAll, out);
        saw_catch_all = true;
      } else {
        break;
      }
      instrs(out);
      if (folded) c_.expect_rparen();
    }
    labels_.pop_back();
  }
  if (folded) {
    c_.expect_rparen();
  } else if (!delegated) {
    c_.expect_atom("end");
    end_label(label);
  }
  if (!delegated) out.u8(0x0B);
}

}  // namespace tern::text
