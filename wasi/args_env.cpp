// args_* and environ_*: NUL-terminated strings packed into one guest buffer plus an array of
// pointers into it.
#include "wasi/context.h"

namespace tern::wasi {

namespace {

uint64_t packed_size(const std::vector<std::string>& list) {
  uint64_t total = 0;
  for (const auto& s : list) total += s.size() + 1;
  return total;
}

Errno sizes_get(const Call& call, const std::vector<std::string>& list, uint32_t count_ptr,
                uint32_t size_ptr) {
  uint64_t total = packed_size(list);
  if (list.size() > UINT32_MAX || total > UINT32_MAX) return Errno::overflow;
  WASI_TRY(store_u32(call.mem, count_ptr, uint32_t(list.size())));
  return store_u32(call.mem, size_ptr, uint32_t(total));
}

Errno strings_get(const Call& call, const std::vector<std::string>& list, uint32_t ptrs,
                  uint32_t buf) {
  uint64_t total = packed_size(list);
  if (!call.mem.fits(ptrs, uint64_t(list.size()) * 4) || !call.mem.fits(buf, total))
    return Errno::fault;
  uint32_t offset = 0;  // total fits in the memory, so offsets fit in u32
  for (size_t i = 0; i < list.size(); ++i) {
    call.mem.store(ptrs + uint32_t(i) * 4, buf + offset);
    call.mem.write_bytes(buf + offset, list[i].c_str(), list[i].size() + 1);
    offset += uint32_t(list[i].size() + 1);
  }
  return Errno::success;
}

}  // namespace

namespace fn {

Errno args_get(Call& call, uint32_t argv_ptr, uint32_t argv_buf_ptr) {
  return strings_get(call, call.ctx.args, argv_ptr, argv_buf_ptr);
}
Errno args_sizes_get(Call& call, uint32_t argc_ptr, uint32_t argv_buf_size_ptr) {
  return sizes_get(call, call.ctx.args, argc_ptr, argv_buf_size_ptr);
}
Errno environ_get(Call& call, uint32_t environ_ptr, uint32_t environ_buf_ptr) {
  return strings_get(call, call.ctx.env, environ_ptr, environ_buf_ptr);
}
Errno environ_sizes_get(Call& call, uint32_t count_ptr, uint32_t buf_size_ptr) {
  return sizes_get(call, call.ctx.env, count_ptr, buf_size_ptr);
}

}  // namespace fn
}  // namespace tern::wasi
