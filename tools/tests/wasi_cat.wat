;; Prints the file "greeting.txt" from the first preopened directory (descriptor 3).
;; Exits with 100 + errno when opening fails, 50 + errno when reading fails.
(module
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 64) "greeting.txt")
  (func (export "_start") (local $errno i32)
    ;; path_open(dirfd 3, follow symlinks, "greeting.txt", no oflags, rights fd_read, 0, 0, &fd@0)
    (local.set $errno (call $path_open (i32.const 3) (i32.const 1) (i32.const 64) (i32.const 12)
                                       (i32.const 0) (i64.const 2) (i64.const 0) (i32.const 0)
                                       (i32.const 0)))
    (if (local.get $errno) (then (call $exit (i32.add (i32.const 100) (local.get $errno)))))
    ;; iovec at 16: { buf = 256, len = 1024 }; bytes read at 24.
    (i32.store (i32.const 16) (i32.const 256))
    (i32.store (i32.const 20) (i32.const 1024))
    (local.set $errno (call $fd_read (i32.load (i32.const 0)) (i32.const 16) (i32.const 1)
                                     (i32.const 24)))
    (if (local.get $errno) (then (call $exit (i32.add (i32.const 50) (local.get $errno)))))
    ;; Write what was read: the same iovec with the length read.
    (i32.store (i32.const 20) (i32.load (i32.const 24)))
    (drop (call $fd_write (i32.const 1) (i32.const 16) (i32.const 1) (i32.const 28)))))
