;; Imports and exports of every kind, for the module and instance tests.
(module
  (import "env" "f" (func $f (param i32) (result i32)))
  (import "env" "g" (global $g i32))
  (import "env" "t" (table 1 funcref))
  (import "env" "m" (memory 1 3))
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (func (export "call_f") (param i32) (result i32) (call $f (local.get 0)))
  (func (export "read_g") (result i32) (global.get $g))
  (func (export "load") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (global (export "counter") (mut i64) (i64.const 7))
  (table (export "tab") 2 10 funcref)
  (export "mem" (memory 0))
  (data (i32.const 0) "\2a"))
