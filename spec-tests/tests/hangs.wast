;; A command that never ends: the runner must time it out, blame it, and go on with the rest.
(module
  (func (export "spin") (loop $forever (br $forever)))
  (func (export "one") (result i32) (i32.const 1)))
(invoke "spin")
(assert_return (invoke "one") (i32.const 1))
