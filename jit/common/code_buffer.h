// The ISA-neutral half of a backend: an asmjit CodeHolder with its listing, the function
// offsets and fault sites recorded while assembling, and placement in executable memory (never
// writable and executable at once; i-cache flushed). Each backend attaches its own assembler.
#pragma once

#include <asmjit/core.h>

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "jit/common/code_address.h"
#include "jit/common/masm.h"
#include "jit/common/runtime.h"
#include "tern/error.h"

namespace tern::jit {

// From now on, code of this process goes into anonymous pages (of its own per block) rather than
// x86-64's dual-mapped memfd: Linux perf names samples from /tmp/perf-PID.map only in anonymous
// memory. AArch64's code is there already.
void use_anonymous_code_memory();

class CodeBuffer {
 public:
  // `arch`: the target's; a backend can assemble for another ISA than the host's (listings).
  CodeBuffer(asmjit::Arch arch, bool with_listing, size_t code_size_hint);
  CodeBuffer(const CodeBuffer&) = delete;
  CodeBuffer& operator=(const CodeBuffer&) = delete;

  void attach(asmjit::BaseEmitter& assembler) { code_.attach(&assembler); }
  bool has_listing() const { return code_.logger() != nullptr; }
  std::string listing() const { return std::string(logger_.data(), logger_.dataSize()); }

  // The bytes assembled so far, for patching an instruction in place.
  uint8_t* data() { return code_.textSection()->buffer().data(); }
  void add_function(size_t offset) { func_offsets_.push_back(uint32_t(offset)); }
  // A fault site also marks where its wasm instruction is (for backtraces).
  void add_fault_site(size_t offset) {
    fault_sites_.push_back(uint32_t(offset));
    mark_wasm_offset(offset);
  }
  // Backtraces: the wasm instruction the code assembled from now on belongs to, and a mark of
  // it at `offset` (CodeBlock::wasm_offsets).
  void set_wasm_offset(uint32_t wasm_offset) { wasm_offset_ = wasm_offset; }
  void mark_wasm_offset(size_t offset) {
    wasm_offsets_.push_back({uint32_t(offset), wasm_offset_});
  }
  // A part of an absolute address in the code (code_address.h), for the module cache.
  void add_address_site(size_t offset) { address_sites_.push_back(uint32_t(offset)); }
  // The address just recorded is a cell of the module's type ids (CodeBlock::type_id_sites).
  void mark_type_id_site() {
    type_id_sites_.push_back(uint32_t(address_sites_.size() - code_address_form().parts));
  }
  // br_table's jump table at the assembler's offset: a 32-bit offset from the table's start to
  // each of `targets`, written by fill_jump_tables once the targets are bound. Until then the
  // entries are zero and a target costs 4 bytes here, where asmjit would record a relocation
  // (about 100 bytes) for each reference to a label not bound yet.
  void emit_jump_table(asmjit::BaseAssembler& assembler, std::span<const Label> targets);
  // Writes the entries of the tables emitted since the last call; their targets must be bound
  // (the function's end: where its frame size is patched in).
  void fill_jump_tables();
  // Where the frame of the function being assembled holds GC references at `return_offset`,
  // the return address of the call just assembled (CodeBlock::safepoints).
  void add_safepoint(size_t return_offset, std::span<const Slot> gc_slots);
  // The function's frame size is known (finish_frame): its safepoints' slots become offsets
  // from the frame pointer, by the frame model every backend follows (masm.h).
  void resolve_safepoints(uint32_t frame_bytes);
  // The handlers of the function added last, resolved to offsets by finalize.
  void add_handler_table(uint32_t frame_bytes, std::vector<TryRegionLabels> regions) {
    handler_drafts_.push_back(
        {uint32_t(func_offsets_.size() - 1), frame_bytes, std::move(regions)});
  }

  // Copies the code into executable memory and fills `out`'s code, function offsets and fault
  // sites; the buffer's last step.
  Result<void> finalize(CodeBlock& out);
  // The address of a bound label, once finalized.
  const void* address_of(asmjit::Label label) const {
    return base_ + code_.labelOffsetFromBase(label);
  }

 private:
  // The first instruction the assembler could not encode: finalize fails with it.
  struct ErrorRecorder final : asmjit::ErrorHandler {
    void handleError(asmjit::Error err, const char* message, asmjit::BaseEmitter*) override {
      if (!failed) message_text = message ? message : asmjit::DebugUtils::errorAsString(err);
      failed = true;
    }
    bool failed = false;
    std::string message_text;
  };

  ErrorRecorder errors_;
  asmjit::CodeHolder code_;
  asmjit::StringLogger logger_;
  std::vector<uint32_t> func_offsets_;
  std::vector<uint32_t> fault_sites_;
  std::vector<uint32_t> address_sites_;
  std::vector<uint32_t> type_id_sites_;
  std::vector<WasmOffset> wasm_offsets_;
  std::vector<CodeBlock::Safepoint> safepoints_;
  std::vector<int32_t> safepoint_slots_;
  std::vector<Slot> unresolved_slots_;  // the current function's, until resolve_safepoints
  // The jump tables waiting for fill_jump_tables: where each starts, and its targets' label
  // ids, table after table.
  struct PendingTable {
    uint32_t offset, count;
  };
  std::vector<PendingTable> pending_tables_;
  std::vector<uint32_t> pending_targets_;
  uint32_t wasm_offset_ = kUnknownWasmOffset;
  struct HandlerDraft {
    uint32_t func = 0, frame_bytes = 0;
    std::vector<TryRegionLabels> regions;
  };
  std::vector<HandlerDraft> handler_drafts_;
  const uint8_t* base_ = nullptr;  // where finalize placed the code
};

// Places code assembled elsewhere (a cached module's) in executable memory: copies `code` in,
// lets `patch` rewrite the copy (its absolute addresses) before it becomes executable, and sets
// `out`'s code and size; the caller fills in the rest.
Result<void> place_code(std::span<const uint8_t> code,
                        const std::function<void(std::span<uint8_t>)>& patch, CodeBlock& out);

}  // namespace tern::jit
