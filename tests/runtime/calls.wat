;; `tern run --engine ENGINE --invoke fib calls.wat 20` prints 6765 on every engine; on jit-lazy
;; each function is compiled on its first call, in the middle of the recursion.
(module
  (func $add (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (func $fib (export "fib") (param $n i32) (result i32)
    (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
      (then (local.get $n))
      (else (call $add (call $fib (i32.sub (local.get $n) (i32.const 1)))
                       (call $fib (i32.sub (local.get $n) (i32.const 2))))))))
