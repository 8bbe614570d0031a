;; A loop of 1 GiB memory.copy: an interrupt was noticed only at the loop header, between two
;; copies, 4-5 s late.
(module
  (memory (export "memory") 32768)
  (func (export "_start")
    (loop $again
      (memory.copy (i32.const 0x40000000) (i32.const 0) (i32.const 0x40000000))
      (br $again))))
