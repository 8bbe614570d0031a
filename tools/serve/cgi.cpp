#include "tools/serve/cgi.h"

#include <cctype>
#include <map>

namespace tern::serve {

namespace {

std::string header_variable(std::string_view name) {
  std::string v = "HTTP_";
  for (char c : name) v += c == '-' ? '_' : char(std::toupper(static_cast<unsigned char>(c)));
  return v;
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

}  // namespace

NameValues cgi_environment(const CgiRequest& r) {
  NameValues env{
      {"GATEWAY_INTERFACE", "CGI/1.1"},
      {"SERVER_SOFTWARE", "tern-serve"},
      {"SERVER_PROTOCOL", "HTTP/1.1"},
      {"SERVER_NAME", r.server_name},
      {"SERVER_PORT", std::to_string(r.server_port)},
      {"REQUEST_METHOD", r.method},
      {"SCRIPT_NAME", r.script_name},
      {"PATH_INFO", r.path_info},
      {"QUERY_STRING", r.query},
      {"REMOTE_ADDR", r.remote_addr},
      {"CONTENT_LENGTH", std::to_string(r.content_length)},
  };
  // Content-Type has its own variable; Content-Length is the body's; the rest as HTTP_*.
  std::map<std::string, std::string> http;
  for (const auto& [name, value] : r.headers) {
    if (equals_ignoring_case(name, "Content-Type")) {
      env.emplace_back("CONTENT_TYPE", value);
      continue;
    }
    if (equals_ignoring_case(name, "Content-Length")) continue;
    std::string& joined = http[header_variable(name)];
    joined += joined.empty() ? value : ", " + value;
  }
  for (auto& [name, value] : http) env.emplace_back(name, std::move(value));
  return env;
}

std::optional<CgiResponse> parse_cgi_response(std::string_view out, std::string& error) {
  CgiResponse response;
  bool has_status = false, has_location = false;
  size_t pos = 0;
  for (;;) {
    size_t eol = out.find('\n', pos);
    if (eol == std::string_view::npos) {
      error = "the output has no blank line ending the CGI headers";
      return std::nullopt;
    }
    std::string_view line = out.substr(pos, eol - pos);
    pos = eol + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) break;
    size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) {
      error = "a CGI header line without a name and ':': '" + std::string(line.substr(0, 80)) + "'";
      return std::nullopt;
    }
    std::string_view name = trim(line.substr(0, colon));
    std::string_view value = trim(line.substr(colon + 1));
    if (equals_ignoring_case(name, "Status")) {
      int code = 0;
      size_t digits = 0;
      while (digits < value.size() && digits < 3 && std::isdigit(uint8_t(value[digits])))
        code = code * 10 + (value[digits++] - '0');
      if (digits != 3 || code < 100 || (value.size() > 3 && value[3] != ' ')) {
        error = "a bad CGI Status: '" + std::string(value.substr(0, 80)) + "'";
        return std::nullopt;
      }
      response.status = code;
      has_status = true;
      continue;
    }
    if (equals_ignoring_case(name, "Location")) has_location = true;
    response.headers.emplace_back(std::string(name), std::string(value));
  }
  if (has_location && !has_status) response.status = 302;
  response.body.assign(out.substr(pos));
  return response;
}

}  // namespace tern::serve
