;; A module with an import WASI does not provide, for tern_wasi_imports' failure.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
  (import "env" "log" (func (param i32)))
  (func (export "_start")))
