// Traps and their frames.
#include "capi/internal.h"

namespace tern::capi {

wasm_trap_t* make_trap(wasm_store_t* store, std::string message, std::vector<wasm_frame_t> frames) {
  return new wasm_trap_t(store, std::make_shared<Identity>(), std::move(message),
                         std::move(frames));
}

// A frame's module offset is the instruction's where the tier knows it, else the start of the
// function's body; its function offset is relative to that start.
wasm_trap_t* trap_of(wasm_store_t* store, const Error& e) {
  if (!e.trap) return make_trap(store, e.to_string());
  std::vector<wasm_frame_t> frames;
  for (const BacktraceFrame& f : e.trap->backtrace) {
    if (!f.instance) continue;
    size_t body = f.body_offset.value_or(0);
    size_t at = f.code_offset.value_or(body);
    frames.push_back({store->instance_of(f.instance), f.func_index, at - body, at});
  }
  wasm_trap_t* trap = make_trap(store, e.trap->message, std::move(frames));
  if (e.trap->code == TrapCode::Exit) trap->exit_code = e.trap->exit_code;
  return trap;
}

}  // namespace tern::capi

extern "C" {

void wasm_frame_delete(wasm_frame_t* frame) {
  delete frame;
}
wasm_frame_t* wasm_frame_copy(const wasm_frame_t* frame) {
  return new wasm_frame_t(*frame);
}
wasm_instance_t* wasm_frame_instance(const wasm_frame_t* frame) {
  return frame->instance;
}
uint32_t wasm_frame_func_index(const wasm_frame_t* frame) {
  return frame->func_index;
}
size_t wasm_frame_func_offset(const wasm_frame_t* frame) {
  return frame->func_offset;
}
size_t wasm_frame_module_offset(const wasm_frame_t* frame) {
  return frame->module_offset;
}

// The message is NUL-terminated both ways (wasm_message_t); a missing NUL is tolerated.
wasm_trap_t* wasm_trap_new(wasm_store_t* store, const wasm_message_t* message) {
  std::string text(message->data, message->size);
  if (!text.empty() && text.back() == '\0') text.pop_back();
  return tern::capi::make_trap(store, std::move(text));
}

void wasm_trap_message(const wasm_trap_t* trap, wasm_message_t* out) {
  wasm_byte_vec_new(out, trap->message.size() + 1, trap->message.c_str());
}

wasm_frame_t* wasm_trap_origin(const wasm_trap_t* trap) {
  return trap->frames.empty() ? nullptr : new wasm_frame_t(trap->frames.front());
}

void wasm_trap_trace(const wasm_trap_t* trap, wasm_frame_vec_t* out) {
  wasm_frame_vec_new_uninitialized(out, trap->frames.size());
  for (size_t i = 0; i < trap->frames.size(); ++i) out->data[i] = new wasm_frame_t(trap->frames[i]);
}

}  // extern "C"
