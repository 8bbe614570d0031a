// The AArch64 backend's calls, trap stubs, entry trampoline and lazy stubs (a64_masm.h). A call
// passes its value area in x0 (the callee's prologue stores it at [x29-8]); helpers take
// (ctx, instance, values, imm) in x0-x3 per AAPCS64 and return in x0.
#include "jit/a64/a64_masm.h"
#include "jit/common/runtime_layout.h"

namespace tern::jit::a64_backend {

using namespace asmjit;
using a64::Inst;
using arm::CondCode;

void A64Assembler::call_direct(Label callee, Slot values) {
  slot_address(a64::x0, values);
  a_.bl(lbl(callee));
}

void A64Assembler::call_entry(const std::atomic<const void*>* entry, Slot values) {
  move_address(kTmp, reinterpret_cast<uint64_t>(entry));
  a_.ldr(kTmp, a64::ptr(kTmp));
  slot_address(a64::x0, values);
  a_.blr(kTmp);
}

// x9: the element index or the reference, then the FuncInstance; x16: the table, then the code
// table; x8 what is compared.
void A64Assembler::call_indirect(const IndirectCall& c) {
  const RuntimeLayout& l = runtime_layout();
  slot_access(Inst::kIdLdr, Inst::kIdLdur, kTmp2,
              Slot{c.values.kind, c.values.index + c.num_params});
  if (c.source == IndirectCall::Source::Reference) {
    a_.cbz(kTmp2, lbl(c.null_callee));
  } else {
    a_.mov(kTmp2.w(), kTmp2.w());
    access(Inst::kIdLdr, Inst::kIdLdur, kTmp, kInst, l.instance_tables, 8);
    access(Inst::kIdLdr, Inst::kIdLdur, kTmp, kTmp, int64_t(c.table) * 8, 8);
    // The size is read on every call: the table may have grown, from any instance sharing it.
    access(Inst::kIdLdr, Inst::kIdLdur, kTmp3, kTmp, l.table_elems + 8, 8);
    access(Inst::kIdLdr, Inst::kIdLdur, kTmp, kTmp, l.table_elems, 8);
    a_.sub(kTmp3, kTmp3, kTmp);
    a_.cmp(kTmp2, kTmp3, arm::lsr(3));
    a_.b(CondCode::kHS, lbl(c.undefined_element));
    a_.ldr(kTmp2, a64::ptr(kTmp, kTmp2, arm::lsl(3)));
    a_.cbz(kTmp2, lbl(c.null_callee));
    access(Inst::kIdLdr, Inst::kIdLdur, kTmp3.w(), kTmp2, l.func_type_id, 4);
    move_address(kTmp, uint64_t(uintptr_t(c.type_id)));
    buffer_.mark_type_id_site();
    a_.ldr(kTmp.w(), a64::ptr(kTmp));
    a_.cmp(kTmp3.w(), kTmp.w());
    a_.b(CondCode::kNE, lbl(c.type_mismatch));
  }
  access(Inst::kIdLdr, Inst::kIdLdur, kTmp3, kTmp2, l.func_instance, 8);
  a_.cmp(kTmp3, kInst);
  a_.b(CondCode::kNE, lbl(c.generic));
  access(Inst::kIdLdr, Inst::kIdLdur, kTmp2.w(), kTmp2, l.func_index, 4);
  // The index counts imports; the code table starts at the first defined function.
  move_address(kTmp, uintptr_t(c.entries) - uint64_t(c.num_imported_funcs) * 8);
  a_.ldr(kTmp, a64::ptr(kTmp, kTmp2, arm::lsl(3)));
  if (c.tail) {
    leave_for_tail_call(c.values, c.num_params);
    a_.br(kTmp);
    return;
  }
  slot_address(a64::x0, c.values);
  a_.blr(kTmp);
}

void A64Assembler::tail_call_direct(Label callee, Slot args, uint32_t num_args) {
  leave_for_tail_call(args, num_args);
  a_.b(lbl(callee));
}

void A64Assembler::tail_call_entry(const std::atomic<const void*>* entry, Slot args,
                                   uint32_t num_args) {
  move_address(kTmp, reinterpret_cast<uint64_t>(entry));
  a_.ldr(kTmp, a64::ptr(kTmp));
  leave_for_tail_call(args, num_args);
  a_.br(kTmp);
}

// A tail call's move into the callee: the arguments to the value area (x0 for the callee),
// then the frame and its depth unit given back as a return does. Leaves x16 alone.
void A64Assembler::leave_for_tail_call(Slot args, uint32_t num_args) {
  a_.ldur(kTmp3, a64::ptr(a64::x29, -8));
  for (uint32_t i = 0; i < num_args; ++i) {
    slot_access(Inst::kIdLdr, Inst::kIdLdur, kTmp2, Slot{args.kind, args.index + i});
    access(Inst::kIdStr, Inst::kIdStur, kTmp2, kTmp3, int64_t(i) * 8, 8);
  }
  a_.ldr(kTmp2.w(), a64::ptr(kCtx, offsetof(JitContext, depth_left)));
  a_.add(kTmp2.w(), kTmp2.w(), 1);
  a_.str(kTmp2.w(), a64::ptr(kCtx, offsetof(JitContext, depth_left)));
  a_.mov(a64::sp, a64::x29);
  a_.ldp(a64::x29, a64::x30, a64::ptr_post(a64::sp, 16));
  a_.mov(a64::x0, kTmp3);
}

void A64Assembler::call_helper(Helper fn, Slot values, uint64_t imm_value) {
  asmjit::Label returned = a_.newLabel();
  a_.adr(kTmp, returned);
  static_assert(offsetof(ExitFrame, pc) == offsetof(ExitFrame, fp) + 8, "one stp");
  a_.stp(a64::x29, kTmp, a64::ptr(kCtx, offsetof(JitContext, exit.fp)));
  a_.mov(a64::x0, kCtx);
  a_.mov(a64::x1, kInst);
  slot_address(a64::x2, values);
  move_imm(a64::x3, imm_value);
  move_address(kTmp, reinterpret_cast<uint64_t>(fn));
  a_.blr(kTmp);
  a_.bind(returned);
}

void A64Assembler::record_safepoint(std::span<const Slot> gc_slots) {
  buffer_.add_safepoint(a_.offset(), gc_slots);
}

void A64Assembler::branch_if_trap_pending(Label target) {
  a_.ldr(kTmp.w(), a64::ptr(kCtx, offsetof(JitContext, pending)));
  a_.cbnz(kTmp.w(), lbl(target));
}

void A64Assembler::branch_if_interrupted(Label target) {
  a_.ldr(kTmp, a64::ptr(kCtx, offsetof(JitContext, interrupt)));
  a_.ldrb(kTmp.w(), a64::ptr(kTmp));
  a_.cbnz(kTmp.w(), lbl(target));
}

void A64Assembler::emit_raise(uint32_t code, asmjit::Label site) {
  asmjit::Label here = a_.newLabel();
  a_.bind(here);
  if (code == uint32_t(TrapCode::CallStackExhausted)) {
    // The prologue's checks come here with the whole frame already taken from sp: a large one
    // reaches far past the stack's end, where the call below would fault with no stack for
    // the handler. x29 is the caller's side of the check, above the reserve.
    a_.mov(a64::sp, a64::x29);
  }
  a_.mov(a64::x0, kCtx);
  move_imm(a64::x1, code);
  a_.adr(a64::x2, here);
  if (site.isValid()) {
    // The site is bound already, maybe beyond adr's reach: its distance back from here.
    move_imm(kTmp, a_.code()->labelOffset(here) - a_.code()->labelOffset(site));
    a_.sub(a64::x2, a64::x2, kTmp);
  }
  a_.mov(a64::x3, a64::x29);
  a_.mov(a64::x4, kInst);
  move_address(kTmp, reinterpret_cast<uint64_t>(&jit::raise_trap));
  a_.blr(kTmp);
  a_.brk(0);
}

// entry(fn, values, ctx, instance, memory_base, globals) in x0-x5, per AAPCS64: saves the
// callee-saved x19-x28 and d8-d15 the wasm code uses.
void A64Assembler::entry_trampoline(Label at, Label resume, Label leave_activation) {
  constexpr int32_t kFrame = 160;
  bind(at);
  a_.stp(a64::x29, a64::x30, a64::ptr_pre(a64::sp, -kFrame));
  a_.mov(a64::x29, a64::sp);
  for (uint32_t i = 0; i < 5; ++i) {
    a_.stp(a64::x(19 + 2 * i), a64::x(20 + 2 * i), a64::ptr(a64::sp, int32_t(16 + 16 * i)));
  }
  for (uint32_t i = 0; i < 4; ++i) {
    a_.stp(a64::d(8 + 2 * i), a64::d(9 + 2 * i), a64::ptr(a64::sp, int32_t(96 + 16 * i)));
  }
  a_.mov(kCtx, a64::x2);
  a_.mov(kInst, a64::x3);
  a_.mov(kMemBase, a64::x4);
  a_.mov(kGlobals, a64::x5);
  a_.mov(kTmp, a64::x0);
  a_.mov(a64::x0, a64::x1);
  a_.blr(kTmp);
  asmjit::Label returned = a_.newLabel();
  a_.bind(returned);
  for (uint32_t i = 0; i < 4; ++i) {
    a_.ldp(a64::d(8 + 2 * i), a64::d(9 + 2 * i), a64::ptr(a64::sp, int32_t(96 + 16 * i)));
  }
  for (uint32_t i = 0; i < 5; ++i) {
    a_.ldp(a64::x(19 + 2 * i), a64::x(20 + 2 * i), a64::ptr(a64::sp, int32_t(16 + 16 * i)));
  }
  a_.ldp(a64::x29, a64::x30, a64::ptr_post(a64::sp, kFrame));
  a_.ret(a64::x30);

  // leave_activation(trampoline_fp): as if the call above returned; sp is the frame pointer.
  bind(leave_activation);
  a_.mov(a64::x29, a64::x0);
  a_.mov(a64::sp, a64::x29);
  a_.b(returned);

  // resume(const ResumePoint*): the frame, the pinned registers, then the landing pad.
  bind(resume);
  a_.ldr(a64::x29, a64::ptr(a64::x0, offsetof(ResumePoint, fp)));
  a_.ldr(kTmp, a64::ptr(a64::x0, offsetof(ResumePoint, sp)));
  a_.mov(a64::sp, kTmp);
  a_.ldr(kCtx, a64::ptr(a64::x0, offsetof(ResumePoint, ctx)));
  a_.ldr(kInst, a64::ptr(a64::x0, offsetof(ResumePoint, inst)));
  a_.ldr(kMemBase, a64::ptr(a64::x0, offsetof(ResumePoint, memory_base)));
  a_.ldr(kGlobals, a64::ptr(a64::x0, offsetof(ResumePoint, globals)));
  a_.ldr(kTmp, a64::ptr(a64::x0, offsetof(ResumePoint, pc)));
  a_.br(kTmp);
}

// Entered like the function: x0 holds the value area, x30 the return address.
void A64Assembler::lazy_stub(Label at, uint32_t defined_index, LazyCompile compile, Label failed) {
  bind(at);
  a_.stp(a64::x0, a64::x30, a64::ptr_pre(a64::sp, -16));
  a_.mov(a64::x2, a64::x0);
  a_.mov(a64::x0, kCtx);
  a_.mov(a64::x1, kInst);
  move_imm(a64::x3, defined_index);
  move_address(kTmp, reinterpret_cast<uint64_t>(compile));
  a_.blr(kTmp);
  a_.mov(kTmp, a64::x0);
  a_.ldp(a64::x0, a64::x30, a64::ptr_post(a64::sp, 16));
  a_.cbz(kTmp, lbl(failed));
  a_.br(kTmp);
}

}  // namespace tern::jit::a64_backend
