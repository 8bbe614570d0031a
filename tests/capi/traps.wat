;; Traps from wasm and from a host function, with a frame per wasm function on the way.
(module
  (import "host" "fail" (func $fail))
  (func $inner (export "divide") (param i32 i32) (result i32)
    (i32.div_s (local.get 0) (local.get 1)))
  (func $outer (export "outer") (param i32) (result i32)
    (call $inner (i32.const 1) (local.get 0)))
  (func (export "call_fail") (call $fail))
  (func (export "unreachable") unreachable)
  (func (export "start_traps") (param i32)
    (if (local.get 0) (then unreachable))))
