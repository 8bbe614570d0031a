;; For the perf map test (perf_map_test.sh): each kind of name a compiled function gets. $main
;; calls every defined function, so jit-lazy compiles them all too; the import, which shifts
;; the defined functions' indices by one, is not compiled.
(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (func $square (param i32) (result i32) (i32.mul (local.get 0) (local.get 0)))
  (func $fib (param i32) (result i32)
    (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
      (then (local.get 0))
      (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                     (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
  ;; No name but an export's.
  (func (export "twice") (param i32) (result i32) (i32.shl (local.get 0) (i32.const 1)))
  ;; No name at all: wasm-function[4].
  (func (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
  (func $main (export "main") (param i32) (result i32)
    (call 4 (call 3 (call $fib (call $square (local.get 0)))))))
