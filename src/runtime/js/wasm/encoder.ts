/**
 * A tiny WebAssembly binary writer: just what the executor's kernels need (i32 and f32
 * arithmetic, structured control flow, loads and stores, the 128-bit SIMD subset), one imported
 * shared memory, and exported functions. Instructions are written as in the text format, one
 * method each, so a kernel reads like WAT; no toolchain is needed at install, build or run time.
 */

export const i32 = 0x7f;
export const f32 = 0x7d;
export const v128 = 0x7b;
export type ValType = typeof i32 | typeof f32 | typeof v128;

function uleb(n: number, out: number[]): void {
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
}

function sleb(n: number, out: number[]): void {
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return;
    }
    out.push(byte | 0x80);
  }
}

function section(id: number, body: number[], out: number[]): void {
  out.push(id);
  uleb(body.length, out);
  out.push(...body);
}

function vec(items: number[][]): number[] {
  const out: number[] = [];
  uleb(items.length, out);
  for (const it of items) out.push(...it);
  return out;
}

function name(s: string): number[] {
  const bytes = [...new TextEncoder().encode(s)];
  const out: number[] = [];
  uleb(bytes.length, out);
  return out.concat(bytes);
}

/** One function body under construction; methods append instructions and return `this`. */
export class Func {
  readonly code: number[] = [];
  private readonly localTypes: ValType[] = [];
  /** Calls of other functions of the module, by name: resolved to indices when it is encoded. */
  private readonly calls: { at: number; name: string }[] = [];

  constructor(
    readonly name: string,
    readonly params: ValType[],
    readonly results: ValType[] = [],
  ) {}

  /** Declares a local and returns its index (parameters come first). */
  local(t: ValType): number {
    this.localTypes.push(t);
    return this.params.length + this.localTypes.length - 1;
  }

  private op(...bytes: number[]): this {
    this.code.push(...bytes);
    return this;
  }

  private simd(opcode: number): this {
    this.code.push(0xfd);
    uleb(opcode, this.code);
    return this;
  }

  private mem(align: number, offset: number): this {
    uleb(align, this.code);
    uleb(offset, this.code);
    return this;
  }

  get(i: number): this { this.code.push(0x20); uleb(i, this.code); return this; }
  set(i: number): this { this.code.push(0x21); uleb(i, this.code); return this; }
  tee(i: number): this { this.code.push(0x22); uleb(i, this.code); return this; }
  i32(v: number): this { this.code.push(0x41); sleb(v | 0, this.code); return this; }

  block(): this { return this.op(0x02, 0x40); }
  loop(): this { return this.op(0x03, 0x40); }
  if(): this { return this.op(0x04, 0x40); }
  else(): this { return this.op(0x05); }
  end(): this { return this.op(0x0b); }
  br(depth: number): this { this.code.push(0x0c); uleb(depth, this.code); return this; }
  brIf(depth: number): this { this.code.push(0x0d); uleb(depth, this.code); return this; }
  drop(): this { return this.op(0x1a); }
  select(): this { return this.op(0x1b); }

  brTable(depths: number[], def: number): this {
    this.code.push(0x0e);
    uleb(depths.length, this.code);
    for (const d of depths) uleb(d, this.code);
    uleb(def, this.code);
    return this;
  }
  return(): this { return this.op(0x0f); }
  /** Calls the module's function `name` (its index is filled in by encodeModule). */
  call(name: string): this {
    this.calls.push({ at: this.code.length, name });
    return this;
  }

  i32Add(): this { return this.op(0x6a); }
  i32Sub(): this { return this.op(0x6b); }
  i32Mul(): this { return this.op(0x6c); }
  i32And(): this { return this.op(0x71); }
  i32Shl(): this { return this.op(0x74); }
  i32ShrU(): this { return this.op(0x76); }
  i32Eqz(): this { return this.op(0x45); }
  i32Ne(): this { return this.op(0x47); }
  i32LtS(): this { return this.op(0x48); }
  i32LtU(): this { return this.op(0x49); }
  i32GtS(): this { return this.op(0x4a); }
  i32GeS(): this { return this.op(0x4e); }
  i32LeS(): this { return this.op(0x4c); }
  i32Eq(): this { return this.op(0x46); }
  i32DivS(): this { return this.op(0x6d); }
  i32Or(): this { return this.op(0x72); }
  i32Load(offset = 0): this { return this.op(0x28).mem(2, offset); }
  i32Store(offset = 0): this { return this.op(0x36).mem(2, offset); }

  f32Zero(): this { return this.op(0x43, 0, 0, 0, 0); }
  f32Const(v: number): this {
    this.code.push(0x43, ...new Uint8Array(Float32Array.of(v).buffer));
    return this;
  }
  f32Add(): this { return this.op(0x92); }
  f32Sub(): this { return this.op(0x93); }
  f32Mul(): this { return this.op(0x94); }
  f32Div(): this { return this.op(0x95); }
  f32Sqrt(): this { return this.op(0x91); }
  f32ConvertI32S(): this { return this.op(0xb2); }
  memoryCopy(): this { return this.op(0xfc, 10, 0, 0); }
  memoryFill(): this { return this.op(0xfc, 11, 0); }
  f32Load(offset = 0): this { return this.op(0x2a).mem(2, offset); }
  f32Store(offset = 0): this { return this.op(0x38).mem(2, offset); }

  v128Load(offset = 0): this { return this.simd(0x00).mem(4, offset); }
  v128Store(offset = 0): this { return this.simd(0x0b).mem(4, offset); }
  v128Load32Splat(offset = 0): this { return this.simd(0x09).mem(2, offset); }
  v128Zero(): this {
    this.simd(0x0c);
    for (let i = 0; i < 16; i++) this.code.push(0);
    return this;
  }
  v128Const(lanes: readonly number[]): this {
    this.simd(0x0c);
    this.code.push(...new Uint8Array(Float32Array.from(lanes).buffer));
    return this;
  }
  /** A vector of four equal floats. */
  f32x4Const(v: number): this { return this.v128Const([v, v, v, v]); }
  /** A vector of four equal 32-bit integers. */
  i32x4Const(v: number): this {
    this.simd(0x0c);
    this.code.push(...new Uint8Array(Int32Array.of(v, v, v, v).buffer));
    return this;
  }
  /** i8x16.shuffle: bytes of the result from the 32 bytes of the two operands. */
  i8x16Shuffle(bytes: readonly number[]): this {
    this.simd(0x0d);
    this.code.push(...bytes);
    return this;
  }
  f32x4Splat(): this { return this.simd(0x13); }
  f32x4ExtractLane(lane: number): this { this.simd(0x1f); this.code.push(lane); return this; }
  f32x4ReplaceLane(lane: number): this { this.simd(0x20); this.code.push(lane); return this; }
  v128And(): this { return this.simd(0x4e); }
  v128Or(): this { return this.simd(0x50); }
  v128Xor(): this { return this.simd(0x51); }
  v128Bitselect(): this { return this.simd(0x52); }
  f32x4Lt(): this { return this.simd(0x43); }
  f32x4Nearest(): this { return this.simd(0x6a); }
  i32x4Shl(): this { return this.simd(0xab); }
  i32x4Add(): this { return this.simd(0xae); }
  i32x4TruncSatF32x4S(): this { return this.simd(0xf8); }
  f32x4Abs(): this { return this.simd(0xe0); }
  f32x4Neg(): this { return this.simd(0xe1); }
  f32x4Sqrt(): this { return this.simd(0xe3); }
  f32x4Add(): this { return this.simd(0xe4); }
  f32x4Sub(): this { return this.simd(0xe5); }
  f32x4Mul(): this { return this.simd(0xe6); }
  f32x4Div(): this { return this.simd(0xe7); }
  f32x4Max(): this { return this.simd(0xe9); }
  /** Pseudo-minimum b < a ? b : a: one instruction on x86; keeps a NaN in a. */
  f32x4Pmin(): this { return this.simd(0xea); }
  /** Pseudo-maximum a < b ? b : a: one instruction on x86; keeps a NaN in a. */
  f32x4Pmax(): this { return this.simd(0xeb); }
  /** Relaxed SIMD: a * b + c, fused or not as the hardware does it. */
  f32x4RelaxedMadd(): this { return this.simd(0x105); }

  /** The function's body: local declarations, code (calls resolved by `indexOf`), final `end`. */
  body(indexOf: (name: string) => number): number[] {
    let code: number[] = [];
    let from = 0;
    for (const c of this.calls) {
      const call = [0x10];
      uleb(indexOf(c.name), call);
      code = code.concat(this.code.slice(from, c.at), call);
      from = c.at;
    }
    code = code.concat(this.code.slice(from));
    const groups: number[][] = [];
    for (let i = 0; i < this.localTypes.length; ) {
      let j = i;
      while (j < this.localTypes.length && this.localTypes[j] === this.localTypes[i]) j++;
      const g: number[] = [];
      uleb(j - i, g);
      g.push(this.localTypes[i]!);
      groups.push(g);
      i = j;
    }
    const inner = vec(groups).concat(code, [0x0b]);
    const out: number[] = [];
    uleb(inner.length, out);
    return out.concat(inner);
  }
}

/**
 * A module importing `env.memory` (shared, `maxPages` pages at most) and exporting `funcs` by
 * their names.
 */
export function encodeModule(funcs: Func[], maxPages: number): Uint8Array<ArrayBuffer> {
  // Each function gets its own type entry: simple, and the few duplicates cost nothing.
  const out = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  const types = funcs.map((f) => [0x60, ...vec(f.params.map((p) => [p])), ...vec(f.results.map((r) => [r]))]);
  section(1, vec(types), out);
  const limits: number[] = [0x03];
  uleb(1, limits);
  uleb(maxPages, limits);
  section(2, vec([[...name('env'), ...name('memory'), 0x02, ...limits]]), out);
  section(3, vec(funcs.map((_, i) => { const o: number[] = []; uleb(i, o); return o; })), out);
  section(7, vec(funcs.map((f, i) => { const o = [...name(f.name), 0x00]; uleb(i, o); return o; })), out);
  const index = new Map(funcs.map((f, i) => [f.name, i]));
  const indexOf = (n: string) => {
    const i = index.get(n);
    if (i === undefined) throw new Error(`call of a function not in the module: ${n}`);
    return i;
  };
  section(10, vec(funcs.map((f) => f.body(indexOf))), out);
  return new Uint8Array(out);
}
