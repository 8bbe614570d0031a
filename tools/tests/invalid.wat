;; Well formed, but the body leaves an i64 where the result must be i32.
(module (func (result i32) (i64.const 1)))
