// Compiles the syntax tree into a Pike-VM program (Thompson NFA with capture slots), following
// Go's regexp/syntax compiler layout so thread priorities give Go's leftmost-first results.
import { Node, N_ALT, N_ASSERT, N_CAPTURE, N_CHAR, N_CLASS, N_CONCAT, N_EMPTY, N_REPEAT } from "./ast";

export const OP_CHAR: i32 = 0; // a = code point; consumes one character
export const OP_CLASS: i32 = 1; // a = class index; consumes one character
export const OP_MATCH: i32 = 2;
export const OP_JMP: i32 = 3; // a = target
export const OP_SPLIT: i32 = 4; // a = preferred target, b = alternative
export const OP_SAVE: i32 = 5; // a = capture slot
export const OP_ASSERT: i32 = 6; // a = A_* kind; zero width

export class Program {
  ops: Array<i32> = [];
  a: Array<i32> = [];
  b: Array<i32> = [];
  classes: Array<StaticArray<i32>> = [];

  get pc(): i32 {
    return this.ops.length;
  }

  inst(op: i32, a: i32, b: i32): i32 {
    const pc = this.ops.length;
    this.ops.push(op);
    this.a.push(a);
    this.b.push(b);
    return pc;
  }

  /** Set both targets of a SPLIT so `body` is preferred when greedy. */
  private setSplit(pc: i32, body: i32, out: i32, greedy: bool): void {
    if (greedy) {
      this.a[pc] = body;
      this.b[pc] = out;
    } else {
      this.a[pc] = out;
      this.b[pc] = body;
    }
  }

  /** Emit `n`. Recursion depth equals tree depth, which the parser bounds (MAX_DEPTH groups). */
  emit(n: Node): void {
    const k = n.kind;
    if (k == N_EMPTY) return;
    if (k == N_CHAR) {
      this.inst(OP_CHAR, n.val, 0);
      return;
    }
    if (k == N_CLASS) {
      const idx = this.classes.length;
      this.classes.push(changetype<StaticArray<i32>>(n.ranges));
      this.inst(OP_CLASS, idx, 0);
      return;
    }
    if (k == N_ASSERT) {
      this.inst(OP_ASSERT, n.val, 0);
      return;
    }
    const subs = changetype<Array<Node>>(n.subs);
    if (k == N_CAPTURE) {
      this.inst(OP_SAVE, 2 * n.val, 0);
      this.emit(subs[0]);
      this.inst(OP_SAVE, 2 * n.val + 1, 0);
      return;
    }
    if (k == N_CONCAT) {
      for (let i = 0; i < subs.length; i++) this.emit(subs[i]);
      return;
    }
    if (k == N_ALT) {
      const jumps = new Array<i32>();
      const last = subs.length - 1;
      for (let i = 0; i < last; i++) {
        const sp = this.inst(OP_SPLIT, 0, 0);
        this.a[sp] = sp + 1;
        this.emit(subs[i]);
        jumps.push(this.inst(OP_JMP, 0, 0));
        this.b[sp] = this.pc;
      }
      this.emit(subs[last]);
      const end = this.pc;
      for (let i = 0; i < jumps.length; i++) this.a[jumps[i]] = end;
      return;
    }
    if (k == N_REPEAT) {
      const x = subs[0];
      const min = n.val;
      const max = n.max;
      const greedy = n.greedy;
      if (max < 0) {
        if (min == 0) {
          // x* compiled as (x+)? — Go does this for nullable x (golang.org/issue/46123); it is
          // equivalent for non-nullable x, so use it always.
          const q = this.inst(OP_SPLIT, 0, 0);
          const body = this.pc;
          this.emit(x);
          const loop = this.inst(OP_SPLIT, 0, 0);
          const out = this.pc;
          this.setSplit(q, body, out, greedy);
          this.setSplit(loop, body, out, greedy);
          return;
        }
        for (let i = 0; i < min - 1; i++) this.emit(x);
        const body = this.pc;
        this.emit(x);
        const loop = this.inst(OP_SPLIT, 0, 0);
        this.setSplit(loop, body, this.pc, greedy);
        return;
      }
      for (let i = 0; i < min; i++) this.emit(x);
      if (max > min) {
        // Nested optionals x(x(x)?)? : every skip jumps to the common end.
        const splits = new Array<i32>();
        const bodies = new Array<i32>();
        for (let i = 0; i < max - min; i++) {
          splits.push(this.inst(OP_SPLIT, 0, 0));
          bodies.push(this.pc);
          this.emit(x);
        }
        const end = this.pc;
        for (let i = 0; i < splits.length; i++) this.setSplit(splits[i], bodies[i], end, greedy);
      }
      return;
    }
  }
}
