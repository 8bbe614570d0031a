;; A command that needs no imports and returns normally.
(module (func (export "_start")))
