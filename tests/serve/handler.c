// The WAGI handler the `tern serve` tests drive (serve_test.sh): a CGI program for WASI, one
// behaviour per PATH_INFO.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

// Starts at 0 in every instance: a request that sees another's memory would count higher.
static int requests_seen;

static const char* env(const char* name) {
  const char* v = getenv(name);
  return v ? v : "(unset)";
}

static void echo_body(void) {
  printf("Content-Type: application/octet-stream\n\n");
  char buf[4096];
  ssize_t n;
  while ((n = read(0, buf, sizeof buf)) > 0) fwrite(buf, 1, (size_t)n, stdout);
}

int main(void) {
  ++requests_seen;
  const char* path = env("PATH_INFO");
  if (strcmp(path, "/echo") == 0) {
    echo_body();
  } else if (strcmp(path, "/env") == 0) {
    printf("Content-Type: text/plain\n\n");
    const char* names[] = {"REQUEST_METHOD", "SCRIPT_NAME",    "PATH_INFO",       "QUERY_STRING",
                           "CONTENT_TYPE",   "CONTENT_LENGTH", "SERVER_PROTOCOL", "HTTP_X_TEST",
                           "REMOTE_ADDR",    "GREETING"};
    for (size_t i = 0; i < sizeof names / sizeof *names; ++i)
      printf("%s=%s\n", names[i], env(names[i]));
  } else if (strcmp(path, "/counter") == 0) {
    printf("Content-Type: text/plain\n\n%d\n", requests_seen);
  } else if (strcmp(path, "/status") == 0) {
    printf("Status: 418 I'm a teapot\nX-Handler: yes\nContent-Type: text/plain\n\nteapot\n");
  } else if (strcmp(path, "/redirect") == 0) {
    printf("Location: /elsewhere\n\n");
  } else if (strcmp(path, "/stderr") == 0) {
    fprintf(stderr, "a line for the log\n");
    printf("Content-Type: text/plain\n\nlogged\n");
  } else if (strcmp(path, "/trap") == 0) {
    __builtin_trap();
  } else if (strcmp(path, "/loop") == 0) {
    for (volatile unsigned i = 0;; ++i) {
    }
  } else if (strcmp(path, "/sleep") == 0) {
    struct timespec ts = {1, 0};  // poll_oneoff on a clock
    nanosleep(&ts, NULL);
    printf("Content-Type: text/plain\n\nslept\n");
  } else if (strcmp(path, "/large") == 0) {
    // More than the socket buffers hold, for a client that never reads its response.
    printf("Content-Type: application/octet-stream\n\n");
    static char block[65536];
    memset(block, 'x', sizeof block);
    for (int i = 0; i < 512; ++i) fwrite(block, 1, sizeof block, stdout);
  } else if (strcmp(path, "/garbage") == 0) {
    printf("no header block here");
  } else {
    printf("Content-Type: text/plain\n\nhello from %s\n", path);
  }
  return 0;
}
