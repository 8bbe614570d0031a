;; A script for `tern wast`: the first assertion passes, the second fails on purpose.
(module (func (export "two") (result i32) (i32.const 2)))
(assert_return (invoke "two") (i32.const 2))
(assert_return (invoke "two") (i32.const 3))
