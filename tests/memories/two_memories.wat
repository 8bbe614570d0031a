;; `tern run --invoke` on a module with a 32-bit and a 64-bit memory (tests/memories/CMakeLists.txt).
(module
  (memory $small 1)
  (memory $wide (export "wide") i64 1)
  (data (memory $wide) (i64.const 65535) "\05")
  (func (export "sum") (param $at i64) (result i64)
    (i32.store8 $small (i32.const 7) (i32.const 3))
    (i64.add (i64.load8_u $wide (local.get $at)) (i64.load8_u $small (i32.const 7)))))
