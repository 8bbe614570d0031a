;; References crossing the C API: externrefs in and out, funcrefs from a table.
(module
  (table $funcs (export "funcs") 2 funcref)
  (table $externs (export "externs") 4 externref)
  (global (export "held") (mut externref) (ref.null extern))
  (func $double (export "double") (param i32) (result i32) (i32.mul (local.get 0) (i32.const 2)))
  (elem (i32.const 0) $double)
  (func (export "identity") (param externref) (result externref) (local.get 0))
  (func (export "is_null") (param externref) (result i32) (ref.is_null (local.get 0)))
  (func (export "get_func") (param i32) (result funcref) (table.get $funcs (local.get 0))))
