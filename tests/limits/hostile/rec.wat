;; The recursive export of issue 18's reproducer, `tern run --max-wasm-stack 4294967295 --invoke
;; f rec.wat 10`, which once aborted in malloc: f(n) recurses n calls deep and returns n.
;; forever recurses until the call stack is exhausted, with frames that need no value slots.
(module
  (func $f (export "f") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32.const 0))
      (else (i32.add (call $f (i32.sub (local.get 0) (i32.const 1))) (i32.const 1)))))
  (func $forever (export "forever") (call $forever)))
