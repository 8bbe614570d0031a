(module (func (i32.no_such_instruction)))
