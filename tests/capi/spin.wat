;; Loops until interrupted or out of fuel; grows its memory on request.
(module
  (memory (export "memory") 1)
  (func (export "spin") (loop $forever (br $forever)))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))
