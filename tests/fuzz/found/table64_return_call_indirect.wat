;; Found by fuzz/differential.py (binaryen 132, memory64 + tail calls): return_call_indirect
;; through a 64-bit table takes an i64 element index. Tern's validator wanted an i32 ("type
;; mismatch") and its interpreter read only the low 32 bits of the index.
(module
  (type $get (func (result i32)))
  (table $t i64 2 funcref)
  (elem (table $t) (i64.const 0) func $seven $eight)
  (func $seven (type $get) (i32.const 7))
  (func $eight (type $get) (i32.const 8))
  (func (export "tail") (param i64) (result i32)
    (return_call_indirect $t (type $get) (local.get 0)))
  (func (export "call") (param i64) (result i32)
    (call_indirect $t (type $get) (local.get 0))))
