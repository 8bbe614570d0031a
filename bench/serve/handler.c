// The handler of the serve benchmark (bench/serve/run): one CGI program, built natively (for
// lighttpd's mod_cgi and for a container) and to wasm32-wasi (for tern serve).
//   /sleep?ms=N   waits N milliseconds on a clock (poll_oneoff under WASI), then answers;
//   anything else answers at once.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int main(void) {
  const char* path = getenv("PATH_INFO");
  const char* query = getenv("QUERY_STRING");
  if (!path) path = "/";
  if (!query) query = "";
  if (strcmp(path, "/sleep") == 0) {
    const char* ms = strstr(query, "ms=");
    long wait_ms = ms ? atol(ms + 3) : 1000;
    struct timespec ts = {wait_ms / 1000, (wait_ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
  }
  printf("Content-Type: text/plain\r\n\r\nHello from %s (query '%s')\n", path, query);
  return 0;
}
