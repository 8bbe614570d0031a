;; One memory.fill of 4 GiB (less one byte): before bulk operations worked in chunks, it ran
;; 27 s under `tern run --timeout 1s`, then returned success.
(module
  (memory (export "memory") 65536)
  (func (export "_start")
    (memory.fill (i32.const 0) (i32.const 0xab) (i32.const -1))))
