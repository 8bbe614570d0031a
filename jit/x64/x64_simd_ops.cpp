// A stand-in for the x86-64 SIMD op emitters while they are written on another branch (issue
// 12): only the few ops the plumbing's own tests use. Replaced whole by that branch's file.
#include "jit/x64/x64_simd_ops.h"

namespace tern::jit {

using namespace asmjit;

bool x64_emits_simd_op(Opcode op) {
  switch (op) {
    case Opcode::I32x4Add:
    case Opcode::I32x4Splat:
    case Opcode::I32x4ExtractLane:
    case Opcode::I32x4ReplaceLane:
    case Opcode::I8x16Add:
    case Opcode::I64x2Add:
    case Opcode::I8x16ExtractLaneS:
    case Opcode::I64x2ExtractLane:
    case Opcode::V128Not:
      return true;
    default:
      return false;
  }
}

void emit_x64_simd_op(x86::Assembler& as, Opcode op, const X64SimdOperands& o) {
  x86::Xmm dst = o.dst.as<x86::Xmm>();
  switch (op) {
    case Opcode::I32x4Add:
      as.paddd(dst, o.srcs[1].as<x86::Xmm>());
      break;
    case Opcode::I32x4Splat:
      as.movd(dst, o.srcs[0].as<x86::Gp>().r32());
      as.pshufd(dst, dst, 0);
      break;
    case Opcode::I32x4ExtractLane:
      as.pextrd(o.dst.as<x86::Gp>().r32(), o.srcs[0].as<x86::Xmm>(), o.imm.bytes[0]);
      break;
    case Opcode::I32x4ReplaceLane:
      as.pinsrd(dst, o.srcs[1].as<x86::Gp>().r32(), o.imm.bytes[0]);
      break;
    case Opcode::I8x16Add:
      as.paddb(dst, o.srcs[1].as<x86::Xmm>());
      break;
    case Opcode::I64x2Add:
      as.paddq(dst, o.srcs[1].as<x86::Xmm>());
      break;
    case Opcode::I8x16ExtractLaneS: {
      x86::Gp r = o.dst.as<x86::Gp>();
      as.pextrb(r.r32(), o.srcs[0].as<x86::Xmm>(), o.imm.bytes[0]);
      as.movsx(r.r32(), r.r8());
      break;
    }
    case Opcode::I64x2ExtractLane:
      as.pextrq(o.dst.as<x86::Gp>().r64(), o.srcs[0].as<x86::Xmm>(), o.imm.bytes[0]);
      break;
    case Opcode::V128Not:
      as.pcmpeqd(o.scratch[0], o.scratch[0]);
      as.pxor(dst, o.scratch[0]);
      break;
    default:
      break;
  }
}

}  // namespace tern::jit
