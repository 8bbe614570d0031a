;; Allocates N arrays of 1000 i64s (8 KB each), keeping the last: with --max-gc-heap small
;; enough, an allocation traps.
(module
  (type $a (array (mut i64)))
  (global $keep (mut (ref null $a)) (ref.null $a))
  (func (export "alloc") (param $n i32) (result i32)
    (loop $l
      (global.set $keep (array.new_default $a (i32.const 1000)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (array.len (ref.as_non_null (global.get $keep)))))
