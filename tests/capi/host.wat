;; Calls into host functions, with and without an environment, of several value types.
(module
  (import "host" "add_env" (func $add_env (param i32) (result i32)))
  (import "host" "swap" (func $swap (param i64 f64) (result f64 i64)))
  (func (export "run") (param i32) (result i32) (call $add_env (local.get 0)))
  (func (export "run_swap") (param i64 f64) (result f64 i64)
    (call $swap (local.get 0) (local.get 1))))
