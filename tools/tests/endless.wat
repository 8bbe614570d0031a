;; A WASI-style command that never ends, for --timeout.
(module
  (func $forever (loop $l (br $l)))
  (func $deeper (param i32) (if (local.get 0) (then (call $deeper (i32.sub (local.get 0) (i32.const 1))))))
  ;; Calls a recursion in a loop: interruptible at function entries and at the loop header.
  (func (export "busy") (loop $l (call $deeper (i32.const 100)) (br $l)))
  (func (export "_start") (call $forever)))
