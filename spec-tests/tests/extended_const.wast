;; Extended constant expressions: valid in 3.0, not in 2.0.
(module
  (global (export "g") i32 (i32.sub (i32.mul (i32.const 6) (i32.const 7)) (i32.const 2)))
  (global (export "h") i64 (i64.add (i64.const -1) (i64.const 0x8000_0000_0000_0000))))
(assert_return (get "g") (i32.const 40))
(assert_return (get "h") (i64.const 0x7fff_ffff_ffff_ffff))
