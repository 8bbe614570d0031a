// A switch-dispatched bytecode interpreter (the br_table-heavy loop of every scripting engine)
// running a small program: sum of Collatz sequence lengths for 1..n.
#include "bench.h"

enum op { PUSH, LOAD, STORE, ADD, SUB, MUL, DIV, MOD, LT, EQ, JMP, JZ, DUP, POP, HALT, ADDI };

// Locals: 0 = i, 1 = total, 2 = x, 3 = n. Comments give each instruction's offset.
// One line per statement of the source program, so no reflowing:
// clang-format off
static const int32_t program[] = {
    /* 0 */ PUSH, 1, STORE, 0,                          // i = 1
    /* 4 */ PUSH, 0, STORE, 1,                          // total = 0
    /* 8 */ LOAD, 0, LOAD, 3, LT, JZ, 69,               // while (i < n) {
    /* 15 */ LOAD, 0, STORE, 2,                         //   x = i
    /* 19 */ LOAD, 2, PUSH, 1, EQ, JZ, 28, JMP, 61,     //   while (x != 1) {
    /* 28 */ LOAD, 1, ADDI, 1, STORE, 1,                //     total++
    /* 34 */ LOAD, 2, PUSH, 2, MOD, JZ, 52,             //     if (x % 2)
    /* 41 */ LOAD, 2, PUSH, 3, MUL, ADDI, 1, STORE, 2,  //       x = 3 * x + 1
    /* 50 */ JMP, 19,                                   //     else
    /* 52 */ LOAD, 2, PUSH, 2, DIV, STORE, 2, JMP, 19,  //       x = x / 2 }
    /* 61 */ LOAD, 0, ADDI, 1, STORE, 0, JMP, 8,        //   i++ }
    /* 69 */ LOAD, 1, HALT};                            // return total
// clang-format on

static int64_t run_vm(const int32_t* code, int64_t* locals) {
  int64_t stack[64];
  int sp = 0;
  uint32_t pc = 0;
  for (;;) {
    switch (code[pc++]) {
      case PUSH:
        stack[sp++] = code[pc++];
        break;
      case LOAD:
        stack[sp++] = locals[code[pc++]];
        break;
      case STORE:
        locals[code[pc++]] = stack[--sp];
        break;
      case ADD:
        sp--;
        stack[sp - 1] += stack[sp];
        break;
      case SUB:
        sp--;
        stack[sp - 1] -= stack[sp];
        break;
      case MUL:
        sp--;
        stack[sp - 1] *= stack[sp];
        break;
      case DIV:
        sp--;
        stack[sp - 1] /= stack[sp];
        break;
      case MOD:
        sp--;
        stack[sp - 1] %= stack[sp];
        break;
      case LT:
        sp--;
        stack[sp - 1] = stack[sp - 1] < stack[sp];
        break;
      case EQ:
        sp--;
        stack[sp - 1] = stack[sp - 1] == stack[sp];
        break;
      case JMP:
        pc = (uint32_t)code[pc];
        break;
      case JZ:
        pc = stack[--sp] ? pc + 1 : (uint32_t)code[pc];
        break;
      case DUP:
        stack[sp] = stack[sp - 1];
        sp++;
        break;
      case POP:
        sp--;
        break;
      case ADDI:
        stack[sp - 1] += code[pc++];
        break;
      case HALT:
        return stack[sp - 1];
      default:
        return -1;
    }
  }
}

static uint64_t bench(uint32_t n) {
  int64_t locals[4] = {0, 0, 0, n};
  return (uint64_t)run_vm(program, locals);
}

BENCH_MAIN(150000, 15000)
