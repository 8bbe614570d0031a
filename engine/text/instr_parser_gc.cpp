// GC's casts in the text format (text/instructions.rst): `ref.test rt`, `ref.cast rt` and
// `br_on_cast(_fail) l rt1 rt2` take reference types, whose nullability the binary format puts
// in the opcode (ref.test, ref.cast) or in a flags byte (br_on_cast).
#include "engine/text/module_parser.h"

namespace tern::text {

void ModuleParser::cast_instr(Opcode op, ByteWriter& out) {
  auto prefixed = [&](Opcode o) {
    out.u8(info(o).prefix);
    out.u32(info(o).code);
  };
  if (op == Opcode::RefTest || op == Opcode::RefCast) {
    ValType t = expect_ref_type();
    if (is_nullable(t)) op = op == Opcode::RefTest ? Opcode::RefTestNull : Opcode::RefCastNull;
    prefixed(op);
    out.heap_type(t);
    return;
  }
  uint32_t label = label_index();
  ValType source = expect_ref_type();
  ValType target = expect_ref_type();
  prefixed(op);
  out.u8(uint8_t((is_nullable(source) ? 1 : 0) | (is_nullable(target) ? 2 : 0)));
  out.u32(label);
  out.heap_type(source);
  out.heap_type(target);
}

}  // namespace tern::text
