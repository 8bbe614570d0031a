;; Guests that block in a WASI call until something outside happens: `tern run --timeout` must
;; end each wait at the deadline (blocking_timeout.sh). Each export returns the call's errno if
;; the call ever returns.
(module
  (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll_oneoff (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "sock_accept" (func $sock_accept (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (memory (export "memory") 2)
  ;; 0: a subscription_clock (preview1 layout): userdata 0, tag 0 (clock), monotonic, then the
  ;; timeout @24 (one hour, written by poll_hour), precision, flags 0 (relative).
  (data (i32.const 16) "\01\00\00\00")
  ;; 200: an iovec over the bytes at 1024, 64 KiB long.
  (data (i32.const 200) "\00\04\00\00\00\00\01\00")
  ;; 300: the path "fifo".
  (data (i32.const 300) "fifo")

  (func (export "poll_hour") (result i32)
    (i64.store (i32.const 24) (i64.const 3600000000000))
    (call $poll_oneoff (i32.const 0) (i32.const 64) (i32.const 1) (i32.const 128)))

  ;; Reads stdin until end of stream.
  (func (export "read_stdin") (result i32)
    (local $errno i32)
    (loop $more
      (local.set $errno (call $fd_read (i32.const 0) (i32.const 200) (i32.const 1) (i32.const 208)))
      (br_if $more (i32.and (i32.eqz (local.get $errno)) (i32.ne (i32.load (i32.const 208)) (i32.const 0)))))
    (local.get $errno))

  ;; Writes 64 KiB at a time to stdout until a write fails.
  (func (export "write_stdout") (result i32)
    (local $errno i32)
    (loop $more
      (local.set $errno (call $fd_write (i32.const 1) (i32.const 200) (i32.const 1) (i32.const 208)))
      (br_if $more (i32.eqz (local.get $errno))))
    (local.get $errno))

  ;; Accepts a connection on descriptor 3, the --listen socket when there is no --dir.
  (func (export "accept") (result i32)
    (call $sock_accept (i32.const 3) (i32.const 0) (i32.const 208)))

  ;; Opens the FIFO "fifo" in the preopen 3 for reading (fd_read right), which waits for a writer.
  (func (export "open_fifo") (result i32)
    (call $path_open (i32.const 3) (i32.const 0) (i32.const 300) (i32.const 4) (i32.const 0)
                     (i64.const 2) (i64.const 0) (i32.const 0) (i32.const 208))))
