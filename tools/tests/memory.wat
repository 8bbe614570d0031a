;; One page of memory that can grow, for --max-memory.
(module
  (memory 1)
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))
