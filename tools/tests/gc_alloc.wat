;; Allocates N arrays of 1000 i64s (8 KB each), keeping every one reachable from a list: with
;; --max-gc-heap small enough, an allocation traps, since no collection can make room.
(module
  (type $a (array (mut i64)))
  (type $cell (struct (field (ref $a)) (field (ref null $cell))))
  (global $keep (mut (ref null $cell)) (ref.null $cell))
  (func (export "alloc") (param $n i32) (result i32)
    (loop $l
      (global.set $keep
        (struct.new $cell (array.new_default $a (i32.const 1000)) (global.get $keep)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (array.len (struct.get $cell 0 (ref.as_non_null (global.get $keep))))))
