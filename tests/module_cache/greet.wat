;; A small WASI command for the cache's CLI test (compile_run.sh): prints its arguments' count,
;; a line per table entry called through call_indirect, and exits with 3.
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 64) "cached greeting\0a")
  (type $digit (func (result i32)))
  (table 3 funcref)
  (elem (i32.const 0) $one $two $three)
  (func $one (type $digit) (i32.const 49))
  (func $two (type $digit) (i32.const 50))
  (func $three (type $digit) (i32.const 51))
  ;; Writes `len` bytes at `at` to stdout.
  (func $print (param $at i32) (param $len i32)
    (i32.store (i32.const 0) (local.get $at))
    (i32.store (i32.const 4) (local.get $len))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))
  (func (export "_start") (local $i i32)
    (call $print (i32.const 64) (i32.const 16))
    (loop $next
      ;; "entry N\n" with N from the table.
      (i32.store8 (i32.const 32) (call_indirect (type $digit) (local.get $i)))
      (i32.store8 (i32.const 33) (i32.const 10))
      (call $print (i32.const 32) (i32.const 2))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $next (i32.lt_u (local.get $i) (i32.const 3))))
    (call $proc_exit (i32.const 3))))
