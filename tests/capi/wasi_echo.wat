;; A WASI command for the WASI C API's tests: `_start` copies stdin (up to 64 bytes) to stdout
;; after "hello\n", writes "err\n" to stderr, then exits with status 10 * argc + the number of
;; environment variables (returning normally when that is 0). `try_create` tries to create
;; "new.txt" in preopen 3 and returns the errno; `exit_with` calls proc_exit.
(module
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_sizes_get" (func $environ_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  ;; iovecs: 0 "hello\n", 8 the stdin buffer, 40 "err\n"; 16 counts; 24 argc; 32 environ count
  (data (i32.const 0) "\64\00\00\00\06\00\00\00\c8\00\00\00\40\00\00\00")
  (data (i32.const 40) "\96\00\00\00\04\00\00\00")
  (data (i32.const 100) "hello\n")
  (data (i32.const 150) "err\n")
  (data (i32.const 300) "new.txt")
  (func (export "_start")
    (local $status i32)
    (drop (call $fd_read (i32.const 0) (i32.const 8) (i32.const 1) (i32.const 16)))
    (i32.store (i32.const 12) (i32.load (i32.const 16)))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 16)))
    (drop (call $fd_write (i32.const 1) (i32.const 8) (i32.const 1) (i32.const 16)))
    (drop (call $fd_write (i32.const 2) (i32.const 40) (i32.const 1) (i32.const 16)))
    (drop (call $args_sizes_get (i32.const 24) (i32.const 28)))
    (drop (call $environ_sizes_get (i32.const 32) (i32.const 36)))
    (local.set $status
      (i32.add (i32.mul (i32.load (i32.const 24)) (i32.const 10)) (i32.load (i32.const 32))))
    (if (local.get $status) (then (call $proc_exit (local.get $status)))))
  (func (export "try_create") (result i32)
    ;; oflags creat; rights fd_write
    (call $path_open (i32.const 3) (i32.const 0) (i32.const 300) (i32.const 7) (i32.const 1)
                     (i64.const 64) (i64.const 0) (i32.const 0) (i32.const 16)))
  (func (export "exit_with") (param i32) (call $proc_exit (local.get 0))))
