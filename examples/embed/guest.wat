(module
  (import "host" "scale" (func $scale (param i32) (result i32)))
  (memory (export "memory") 1)
  ;; Sums len bytes at ptr, has the host scale the sum, stores it at ptr + len and returns it.
  (func (export "checksum") (param $ptr i32) (param $len i32) (result i32)
    (local $i i32) (local $sum i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
        (local.set $sum (i32.add (local.get $sum)
                                 (i32.load8_u (i32.add (local.get $ptr) (local.get $i)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.set $sum (call $scale (local.get $sum)))
    (i32.store (i32.add (local.get $ptr) (local.get $len)) (local.get $sum))
    (local.get $sum))
  (func (export "divide") (param i32 i32) (result i32)
    (i32.div_s (local.get 0) (local.get 1))))
