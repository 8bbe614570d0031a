;; A guest without linear memory: every call that takes a pointer answers fault (21); calls
;; without pointers still work.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "random_get" (func $random_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "sched_yield" (func $sched_yield (result i32)))
  (import "wasi_snapshot_preview1" "fd_close" (func $fd_close (param i32) (result i32)))
  (import "wasi_unstable" "proc_exit" (func $proc_exit (param i32)))
  (func (export "write") (result i32) (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 0)))
  (func (export "random") (result i32) (call $random_get (i32.const 0) (i32.const 1)))
  (func (export "yield") (result i32) (call $sched_yield))
  (func (export "close") (param i32) (result i32) (call $fd_close (local.get 0)))
  (func (export "exit") (param i32) (call $proc_exit (local.get 0)) unreachable))
