// Clocks, random_get, poll_oneoff (clocks, fd readiness, errors), sched_yield, proc_raise.
#include "check.h"

// wasi-libc no longer declares proc_raise.
__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_raise"))) int32_t
raw_proc_raise(int32_t sig);
#define SIGNAL_TERM 15

static __wasi_timestamp_t now(__wasi_clockid_t id) {
  __wasi_timestamp_t t = 0;
  EXPECT_OK(__wasi_clock_time_get(id, 1, &t));
  return t;
}

static __wasi_subscription_t clock_sub(__wasi_userdata_t ud, __wasi_clockid_t id,
                                       __wasi_timestamp_t timeout, __wasi_subclockflags_t flags) {
  __wasi_subscription_t s;
  memset(&s, 0, sizeof s);
  s.userdata = ud;
  s.u.tag = __WASI_EVENTTYPE_CLOCK;
  s.u.u.clock.id = id;
  s.u.u.clock.timeout = timeout;
  s.u.u.clock.flags = flags;
  return s;
}

static __wasi_subscription_t fd_sub(__wasi_userdata_t ud, __wasi_eventtype_t type, __wasi_fd_t fd) {
  __wasi_subscription_t s;
  memset(&s, 0, sizeof s);
  s.userdata = ud;
  s.u.tag = type;
  s.u.u.fd_read.file_descriptor = fd;
  return s;
}

int main(void) {
  EXPECT(sizeof(__wasi_subscription_t) == 48 && sizeof(__wasi_event_t) == 32);
  // Clocks.
  __wasi_timestamp_t res;
  for (__wasi_clockid_t id = 0; id < 4; ++id) {
    EXPECT_OK(__wasi_clock_res_get(id, &res));
    EXPECT(res > 0 && res <= 1000000000ull);
  }
  EXPECT_ERRNO(__wasi_clock_res_get(4, &res), __WASI_ERRNO_INVAL);
  EXPECT_ERRNO(__wasi_clock_time_get(99, 1, &res), __WASI_ERRNO_INVAL);
  EXPECT(now(__WASI_CLOCKID_REALTIME) > 1600000000ull * 1000000000ull);
  __wasi_timestamp_t m1 = now(__WASI_CLOCKID_MONOTONIC);
  volatile unsigned spin = 0;
  for (unsigned i = 0; i < 2000000; ++i) spin += i;
  EXPECT(spin != 1);
  __wasi_timestamp_t m2 = now(__WASI_CLOCKID_MONOTONIC);
  EXPECT(m2 >= m1);
  EXPECT(now(__WASI_CLOCKID_PROCESS_CPUTIME_ID) > 0);
  EXPECT(now(__WASI_CLOCKID_THREAD_CPUTIME_ID) > 0);

  // Random bytes: two draws of 64 differ, and a zero-length draw is fine.
  uint8_t a[64] = {0}, b[64] = {0};
  EXPECT_OK(__wasi_random_get(a, sizeof a));
  EXPECT_OK(__wasi_random_get(b, sizeof b));
  EXPECT(memcmp(a, b, sizeof a) != 0);
  EXPECT_OK(__wasi_random_get(a, 0));

  // poll_oneoff: a relative 20 ms timeout waits about that long.
  __wasi_event_t ev[4];
  __wasi_size_t n = 0;
  __wasi_subscription_t subs[4];
  subs[0] = clock_sub(7, __WASI_CLOCKID_MONOTONIC, 20000000, 0);
  __wasi_timestamp_t t0 = now(__WASI_CLOCKID_MONOTONIC);
  EXPECT_OK(__wasi_poll_oneoff(subs, ev, 1, &n));
  __wasi_timestamp_t waited = now(__WASI_CLOCKID_MONOTONIC) - t0;
  EXPECT(n == 1 && ev[0].userdata == 7 && ev[0].type == __WASI_EVENTTYPE_CLOCK && ev[0].error == 0);
  EXPECT(waited >= 20000000 && waited < 2000000000ull);
  // An absolute time already past fires at once; libc's nanosleep rides on the same call.
  subs[0] =
      clock_sub(8, __WASI_CLOCKID_REALTIME, 1, __WASI_SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME);
  EXPECT_OK(__wasi_poll_oneoff(subs, ev, 1, &n));
  EXPECT(n == 1 && ev[0].userdata == 8);
  // A writable descriptor wins over a long clock; a bad descriptor is an event with badf.
  subs[0] = clock_sub(1, __WASI_CLOCKID_MONOTONIC, 60ull * 1000000000ull, 0);
  subs[1] = fd_sub(2, __WASI_EVENTTYPE_FD_WRITE, 1);
  EXPECT_OK(__wasi_poll_oneoff(subs, ev, 2, &n));
  EXPECT(n == 1 && ev[0].userdata == 2 && ev[0].type == __WASI_EVENTTYPE_FD_WRITE &&
         ev[0].error == 0);
  subs[1] = fd_sub(3, __WASI_EVENTTYPE_FD_READ, 555);
  EXPECT_OK(__wasi_poll_oneoff(subs, ev, 2, &n));
  EXPECT(n == 1 && ev[0].userdata == 3 && ev[0].error == __WASI_ERRNO_BADF);
  // A regular file is readable, with the bytes left to read.
  write_file(SANDBOX_FD, "data", "0123456789");
  __wasi_errno_t err;
  __wasi_fd_t fd = open_at(SANDBOX_FD, "data", 0, ALL_RIGHTS, 0, &err);
  subs[1] = fd_sub(4, __WASI_EVENTTYPE_FD_READ, fd);
  EXPECT_OK(__wasi_poll_oneoff(subs, ev, 2, &n));
  EXPECT(n == 1 && ev[0].userdata == 4 && ev[0].fd_readwrite.nbytes == 10);
  // Without the poll right, the event carries notcapable.
  EXPECT_OK(__wasi_fd_fdstat_set_rights(fd, __WASI_RIGHTS_FD_READ, 0));
  EXPECT_OK(__wasi_poll_oneoff(subs, ev, 2, &n));
  EXPECT(n == 1 && ev[0].error == __WASI_ERRNO_NOTCAPABLE);
  EXPECT_OK(__wasi_fd_close(fd));
  // Errors of the call itself.
  EXPECT_ERRNO(__wasi_poll_oneoff(subs, ev, 0, &n), __WASI_ERRNO_INVAL);
  subs[0] = clock_sub(1, 77, 0, 0);
  EXPECT_OK(__wasi_poll_oneoff(subs, ev, 1, &n));
  EXPECT(n == 1 && ev[0].error == __WASI_ERRNO_INVAL);
  subs[0].u.tag = 9;
  EXPECT_ERRNO(__wasi_poll_oneoff(subs, ev, 1, &n), __WASI_ERRNO_INVAL);

  EXPECT_OK(__wasi_sched_yield());
  EXPECT_ERRNO(raw_proc_raise(SIGNAL_TERM), __WASI_ERRNO_NOTSUP);
  EXPECT_ERRNO(raw_proc_raise(200), __WASI_ERRNO_INVAL);
  return finish("clocks_random_poll");
}
