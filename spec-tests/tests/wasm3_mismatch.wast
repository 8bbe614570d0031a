;; Result patterns that must not match, and an assertion that must fail: each command fails.
(module
  (func (export "null-func") (result funcref) (ref.null func))
  (func (export "one") (result i32) (i32.const 1)))
(assert_return (invoke "null-func") (ref.null extern))
(assert_return (invoke "null-func") (ref.null any))
(assert_return (invoke "null-func") (ref.func))
(assert_return (invoke "one") (either (i32.const 2) (i32.const 3)))
(assert_exception (invoke "one"))
(assert_return (invoke "null-func" (ref.host 1)) (ref.null func))
