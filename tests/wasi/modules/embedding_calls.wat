;; Raw WASI calls for the embedding tests (embedding_test.cpp): stdio streams, read-only
;; preopens and the two wasi-testsuite cases. Each returns the WASI errno (or a count).
(module
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_fdstat_get" (func $fd_fdstat_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll_oneoff (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_unlink_file" (func $path_unlink_file (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "sock_shutdown" (func $sock_shutdown (param i32 i32) (result i32)))
  (memory (export "memory") 1)
  ;; 512: "f.txt", 520: ".", 528: "new.txt"
  (data (i32.const 512) "f.txt")
  (data (i32.const 520) ".")
  (data (i32.const 528) "new.txt")
  (data (i32.const 544) "to stderr\n")

  ;; Copies fd 0 to fd 1 through a 5-byte buffer at 256 (iovec at 16), until end of input:
  ;; the bytes copied, or -errno.
  (func (export "copy_stdin_to_stdout") (result i32)
    (local $total i32) (local $errno i32) (local $n i32)
    (loop $more
      (i32.store (i32.const 16) (i32.const 256))
      (i32.store (i32.const 20) (i32.const 5))
      (local.set $errno (call $fd_read (i32.const 0) (i32.const 16) (i32.const 1) (i32.const 8)))
      (if (local.get $errno) (then (return (i32.sub (i32.const 0) (local.get $errno)))))
      (local.set $n (i32.load (i32.const 8)))
      (if (i32.eqz (local.get $n)) (then (return (local.get $total))))
      (i32.store (i32.const 20) (local.get $n))
      (local.set $errno (call $fd_write (i32.const 1) (i32.const 16) (i32.const 1) (i32.const 8)))
      (if (local.get $errno) (then (return (i32.sub (i32.const 0) (local.get $errno)))))
      (local.set $total (i32.add (local.get $total) (i32.load (i32.const 8))))
      (br $more))
    (local.get $total))

  ;; Writes "to stderr\n" to fd 2: the errno.
  (func (export "write_stderr") (result i32)
    (i32.store (i32.const 16) (i32.const 544))
    (i32.store (i32.const 20) (i32.const 10))
    (call $fd_write (i32.const 2) (i32.const 16) (i32.const 1) (i32.const 8)))

  ;; Writes 5 bytes to `fd`: the errno.
  (func (export "write_fd") (param $fd i32) (result i32)
    (i32.store (i32.const 16) (i32.const 256))
    (i32.store (i32.const 20) (i32.const 5))
    (call $fd_write (local.get $fd) (i32.const 16) (i32.const 1) (i32.const 8)))

  ;; fd's filetype, or -errno.
  (func (export "filetype") (param $fd i32) (result i32)
    (local $errno i32)
    (local.set $errno (call $fd_fdstat_get (local.get $fd) (i32.const 64)))
    (if (local.get $errno) (then (return (i32.sub (i32.const 0) (local.get $errno)))))
    (i32.load8_u (i32.const 64)))

  ;; poll_oneoff on fd_read of `fd` (subscription at 128, event at 192): events, or -errno.
  (func (export "poll_read") (param $fd i32) (result i32)
    (local $errno i32)
    (i64.store (i32.const 128) (i64.const 7))     ;; userdata
    (i32.store8 (i32.const 136) (i32.const 1))    ;; tag: fd_read
    (i32.store (i32.const 144) (local.get $fd))
    (local.set $errno (call $poll_oneoff (i32.const 128) (i32.const 192) (i32.const 1) (i32.const 8)))
    (if (local.get $errno) (then (return (i32.sub (i32.const 0) (local.get $errno)))))
    (i32.load (i32.const 8)))

  ;; path_open beneath `dir` of the path at `path` (len `len`) with `oflags` and base rights:
  ;; the new descriptor, or -errno.
  (func (export "open") (param $dir i32) (param $path i32) (param $len i32) (param $oflags i32)
                        (param $rights i64) (result i32)
    (local $errno i32)
    (local.set $errno (call $path_open (local.get $dir) (i32.const 0) (local.get $path)
                        (local.get $len) (local.get $oflags) (local.get $rights)
                        (i64.const 0) (i32.const 0) (i32.const 8)))
    (if (local.get $errno) (then (return (i32.sub (i32.const 0) (local.get $errno)))))
    (i32.load (i32.const 8)))

  (func (export "unlink_f") (param $dir i32) (result i32)
    (call $path_unlink_file (local.get $dir) (i32.const 512) (i32.const 5)))

  (func (export "shutdown") (param $fd i32) (result i32)
    (call $sock_shutdown (local.get $fd) (i32.const 3))))
