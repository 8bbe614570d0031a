// Listening sockets for `tern run --listen`: opened by the host, handed to the guest through
// WASI (sock_accept and friends work on them).
#pragma once

#include <string>

#include "tern/error.h"

namespace tern::cli {

// Opens a TCP socket listening on "HOST:PORT" (IPv4, or [IPv6]:PORT). Returns its descriptor.
Result<int> open_listener(const std::string& address);

}  // namespace tern::cli
