;; Ways for a call to end in a trap, for the CLI's error output and exit status.
(module
  (func $divide (param i32 i32) (result i32) (i32.div_u (local.get 0) (local.get 1)))
  (func $main (export "main") (param i32) (result i32) (call $divide (i32.const 10) (local.get 0)))
  (func $recurse (export "recurse") (call $recurse))
  (func (export "spin") (loop $forever (br $forever)))
  (func (export "_start") (unreachable)))
