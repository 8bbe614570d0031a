;; A Wasm 3.0 module (extended const): valid by default, not under --wasm 2.0.
(module
  (global $g i32 (i32.add (i32.const 40) (i32.const 2)))
  (func (export "answer") (result i32) (global.get $g)))
