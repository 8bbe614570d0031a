// Listening sockets for `tern run --listen`: opened by the host, handed to the guest through
// WASI (sock_accept and friends work on them).
#pragma once

#include <string>

#include "tern/error.h"

namespace tern::cli {

// Opens a TCP socket listening on "HOST:PORT", HOST a numeric IPv4 address, [IPv6] or
// localhost. Returns its descriptor.
Result<int> open_listener(const std::string& address);

}  // namespace tern::cli
