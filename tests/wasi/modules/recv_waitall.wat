;; Accepts one connection on descriptor 3 (the listening socket) and receives 8 bytes into 64
;; with RECV_WAITALL (2): returns the count received, or -errno.
(module
  (import "wasi_snapshot_preview1" "sock_accept" (func $sock_accept (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "sock_recv" (func $sock_recv (param i32 i32 i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  ;; 16: an iovec over the 8 bytes at 64.
  (data (i32.const 16) "\40\00\00\00\08\00\00\00")
  (func (export "accept_and_receive") (result i32)
    (local $errno i32)
    (local.set $errno (call $sock_accept (i32.const 3) (i32.const 0) (i32.const 0)))
    (if (local.get $errno) (then (return (i32.sub (i32.const 0) (local.get $errno)))))
    (local.set $errno (call $sock_recv (i32.load (i32.const 0)) (i32.const 16) (i32.const 1)
                                       (i32.const 2) (i32.const 4) (i32.const 8)))
    (if (local.get $errno) (then (return (i32.sub (i32.const 0) (local.get $errno)))))
    (i32.load (i32.const 4))))
