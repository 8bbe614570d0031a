// The WAGI contract, CGI 1.1 (RFC 3875) over WASI: the request as environment variables, and
// the guest's stdout read back as a CGI response.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tern::serve {

using NameValues = std::vector<std::pair<std::string, std::string>>;

// What the environment is built from.
struct CgiRequest {
  std::string method;
  std::string script_name;  // the route prefix that matched ("" for "/")
  std::string path_info;    // the rest of the decoded path
  std::string query;        // the raw query string, without '?'
  NameValues headers;
  size_t content_length = 0;
  std::string remote_addr;
  std::string server_name;
  int server_port = 0;
};

// REQUEST_METHOD, SCRIPT_NAME, PATH_INFO, QUERY_STRING, CONTENT_TYPE, CONTENT_LENGTH,
// SERVER_NAME, SERVER_PORT, SERVER_PROTOCOL, SERVER_SOFTWARE, GATEWAY_INTERFACE, REMOTE_ADDR,
// and HTTP_NAME for each header (upper case, '-' as '_'; repeated headers joined by ", ").
NameValues cgi_environment(const CgiRequest& request);

struct CgiResponse {
  int status = 200;
  NameValues headers;  // without Status
  std::string body;
};

// The guest's stdout as a CGI response: header lines ending at a blank line (LF or CRLF), then
// the body. `Status: CODE [REASON]` sets the status; a Location without one is a redirect
// (302). Malformed output (no blank line, a line without ':', a bad Status) is nullopt with
// the reason in `error`.
std::optional<CgiResponse> parse_cgi_response(std::string_view out, std::string& error);

}  // namespace tern::serve
