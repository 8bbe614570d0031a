;; A module whose start function never ends: --timeout covers instantiation too.
(module
  (func $forever (loop $l (br $l)))
  (start $forever))
