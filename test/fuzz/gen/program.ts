/**
 * A grammar-aware generator of small, mostly valid resdsl programs (fast-check): blocks with
 * parameters, defaults and arithmetic; residuals with every kind of second operand; repetition
 * with `with first`; labels and named outputs; `expect` lines; generic networks taking a block as
 * a value (partially applied or not) and networks defined from them; uses of std/resnet. Tensors
 * stay small (channels 1-64, spatial 1-32) so that a compile takes milliseconds.
 *
 * The generator tracks the shape of every layer, so that for a program it vouches for (`sure`)
 * it knows that every command must succeed and what each output's type is.
 */
import fc from 'fast-check';
import { identityBlock, ownTemplates, stdTemplates, withParam, wrapper, type Template } from './blocks.js';
import { Choices, freshName, prototypeNames, typeText, type Shape } from './choices.js';
import { channels, num, path, residual, simpleLayer, type Piece } from './layers.js';

export interface GenProgram {
  text: string;
  /** Valid under every --shortcut policy: check, summary and compile must all succeed. */
  sure: boolean;
  /** The network's outputs and their types, in order (meaningful when `sure`). */
  outputs: { name: string; type: string }[];
}

interface Callable {
  name: string;
  t: Template;
}

class NetBuilder {
  readonly lines: string[] = [];
  readonly labels = new Map<string, Shape>();
  sure = true;
  private labelCount = 0;
  constructor(
    readonly ch: Choices,
    public cur: Shape,
    readonly callables: readonly Callable[],
    /** Names in use in the program (blocks, the input, labels, outputs): a new name is none of them. */
    readonly taken: Set<string>,
  ) {}

  newLabel(): string {
    return freshName(this.ch, this.taken, `l${++this.labelCount}`);
  }

  add(p: Piece, label?: string): void {
    // a label names one statement: a piece of several (`gap; flatten`) is labelled as a path
    const text = label && /[;\n]/.test(p.text) && !p.text.startsWith('<') ? `<${p.text}>` : p.text;
    this.lines.push(label ? `${label}: ${text}` : text);
    this.cur = p.out;
    this.sure &&= p.sure;
    if (label && !p.absent) this.labels.set(label, p.out);
  }

  /** Arguments of a call of `c` on the current shape, the first being a channel count that suits its shortcut. */
  private callArgs(c: Callable, first: number, stride: number | undefined): string {
    if (c.t === identityBlock) return this.ch.pick(['', '()', `(in = ${this.cur.c})`, `(${this.cur.c})`, `(out = ${this.cur.c})`]);
    const extra = c.t.extra?.(this.ch, this.cur, first) ?? '';
    if (stride === undefined) return `(${num(this.ch, first)}${extra})`;
    return this.ch.chance(30) ? `(${first}, ${stride}${extra})` : `(${first}, stride = ${stride}${extra})`;
  }

  private firstArg(c: Callable): number {
    const want = channels(this.ch);
    return c.t.grows ? Math.max(want, this.cur.c) : want;
  }

  blockCall(): void {
    const c = this.ch.pick(this.callables);
    const first = this.firstArg(c);
    const label = this.ch.chance(30) ? this.newLabel() : undefined;
    if (this.ch.chance(40)) {
      // repetition, with the stride of the first item set by `with first` where the block takes one
      const n = this.ch.pick([2, 1, 3, 0]);
      const withFirst = c.t.stride && this.ch.chance(60);
      const count = this.ch.chance(20) ? `(${n} + 0)` : String(n);
      const text = `${c.name}${this.callArgs(c, first, undefined)} x ${count}${withFirst ? ' with first(stride = 2)' : ''}`;
      let out: Shape | undefined = this.cur;
      for (let i = 0; i < n && out; i++) out = c.t.apply(out, first, withFirst && i === 0 ? 2 : 1);
      this.add({ text, out: out ?? this.cur, sure: out !== undefined }, label);
      return;
    }
    const stride = c.t.stride && this.ch.chance(40) ? 2 : undefined;
    const out = c.t.apply(this.cur, first, stride ?? 1);
    this.add({ text: `${c.name}${this.callArgs(c, first, stride)}`, out: out ?? this.cur, sure: out !== undefined }, label);
  }

  layerRepeat(): void {
    const n = this.ch.pick([2, 0, 1, 3]);
    const c = channels(this.ch);
    const label = this.ch.chance(30) ? this.newLabel() : undefined;
    switch (this.ch.int(0, 2)) {
      case 0:
        this.add({ text: `relu x ${n}`, out: this.cur, sure: true }, label);
        return;
      case 1: {
        // the first conv may change the channels and stride; the others keep them
        const s = this.cur;
        const h = n === 0 ? s.h : Math.floor((s.h - 1) / 2) + 1;
        const w = n === 0 ? s.w : Math.floor((s.w - 1) / 2) + 1;
        this.add({ text: `conv3(${c}) x ${n} with first(stride = 2)`, out: n === 0 ? s : { ...s, c, h, w }, sure: true }, label);
        return;
      }
      default:
        this.add({ text: `<conv1(${c}); bn; relu> x ${n}`, out: n === 0 ? this.cur : { ...this.cur, c }, sure: true }, label);
    }
  }

  step(): void {
    const ch = this.ch;
    if (ch.chance(3)) {
      // a mistake named after a prototype member: an unknown layer or keyword argument
      const name = ch.pick(prototypeNames);
      this.add({ text: ch.pick([name, `${name}(4)`, `conv3(4, ${name} = 1)`, `relu(${name} = 2)`]), out: this.cur, sure: false });
      return;
    }
    if (this.cur.rank === 2) {
      this.add(simpleLayer(ch, this.cur));
      return;
    }
    const kind = ch.int(0, 9);
    if (kind <= 3) this.add(simpleLayer(ch, this.cur), ch.chance(15) ? this.newLabel() : undefined);
    else if (kind <= 5) this.add(residual(ch, this.cur, () => this.newLabel()), ch.chance(20) ? this.newLabel() : undefined);
    else if (kind <= 7 && this.callables.length) this.blockCall();
    else if (kind === 8) this.layerRepeat();
    else this.add(path(ch, this.cur), ch.chance(50) ? this.newLabel() : undefined);
  }

  head(): void {
    if (this.cur.rank === 4) {
      this.lines.push(this.ch.pick(['gap; flatten', 'pool_head: gap\n  flatten', 'gap\n  flatten']));
      this.cur = { rank: 2, c: this.cur.c, h: 1, w: 1 };
    }
    const k = this.ch.int(1, 12);
    this.lines.push(`fc(${num(this.ch, k)})`);
    this.cur = { rank: 2, c: k, h: 1, w: 1 };
  }

  /** Output lines (named outputs of labelled layers, the last layer's output) and `expect` lines. */
  finish(): { name: string; type: string }[] {
    const outputs: { name: string; type: string }[] = [];
    const labelled = [...this.labels];
    if (labelled.length && this.ch.chance(40)) {
      const [l, s] = this.ch.pick(labelled);
      const name = freshName(this.ch, this.taken, 'o1', 30);
      this.lines.push(`output ${name} = ${l}`);
      outputs.push({ name, type: typeText(s) });
    }
    if (outputs.length === 0 || this.ch.chance(50)) {
      const name = outputs.length === 0 && this.ch.chance(40) ? 'output' : freshName(this.ch, this.taken, 'logits', 20);
      if (name !== 'output') this.lines.push(`output ${name}`);
      outputs.push({ name, type: typeText(this.cur) });
    }
    if (this.ch.chance(40)) {
      const o = this.ch.pick(outputs);
      const wrong = this.ch.chance(10);
      const type = wrong ? typeText({ ...this.cur, c: this.cur.c + 1 }) : o.type;
      this.lines.push(outputs.length > 1 ? `expect output ${o.name} == ${type}` : `expect output == ${type}`);
      if (wrong && type !== o.type) this.sure = false;
    }
    return outputs;
  }
}

function inputShape(ch: Choices): Shape {
  const c = ch.pick([3, 1, 2, 4, 8, 16]);
  const h = ch.pick([8, 16, 5, 7, 1, 2, 32, 12]);
  return { rank: 4, c, h, w: ch.chance(20) ? ch.pick([8, 3, 9, 16]) : h };
}

function blocks(ch: Choices, useStd: boolean, taken: Set<string>): { defs: string[]; callables: Callable[] } {
  const defs: string[] = [];
  const callables: Callable[] = [];
  const n = ch.int(0, 3);
  for (let i = 0; i < n; i++) {
    const inner = callables.filter((c) => c.t.stride && c.t.def);
    const options = [...ownTemplates, withParam(ch.pick(prototypeNames)), ...(inner.length ? [wrapper(ch.pick(inner))] : [])];
    const t = ch.pick(options);
    const name = freshName(ch, taken, `blk${i}`);
    defs.push(t.def!(name));
    callables.push({ name, t });
  }
  if (useStd) for (const [name, t] of Object.entries(stdTemplates)) callables.push({ name, t });
  return { defs, callables };
}

/** A network with a body of random steps. */
function plainNetwork(ch: Choices, callables: Callable[], taken: Set<string>): { text: string; sure: boolean; outputs: GenProgram['outputs'] } {
  const input = inputShape(ch);
  const inputName = freshName(ch, taken, ch.pick(['img', 'image', 'features', 'x0']));
  const netName = freshName(ch, taken, 'net', 10);
  const b = new NetBuilder(ch, input, callables, taken);
  const steps = ch.int(0, 7);
  for (let i = 0; i < steps; i++) b.step();
  if (ch.chance(50)) b.head();
  const outputs = b.finish();
  const sepr = ch.chance(15) ? '; ' : '\n  ';
  const text = `network ${netName} {\n  input ${inputName}: ${typeText(input)}\n  ${b.lines.join(sepr)}\n}`;
  return { text, sure: b.sure, outputs };
}

/** A generic network taking a block as a value, and a network defined from it (the one compiled). */
function genericNetwork(ch: Choices, callables: Callable[], taken: Set<string>): { text: string; sure: boolean; outputs: GenProgram['outputs'] } {
  const strided = callables.filter((c) => c.t.stride);
  const blk = ch.pick(strided);
  const input = inputShape(ch);
  const [gen, net, width] = [freshName(ch, taken, 'gen', 10), freshName(ch, taken, 'net', 10), freshName(ch, taken, 'c', 25)];
  taken.add('img');
  const b = new NetBuilder(ch, input, callables, taken);
  if (ch.chance(50)) b.step();
  const c = Math.max(channels(ch), blk.t.grows ? b.cur.c : 1);
  const n = ch.pick([2, 1, 0]);
  const extra = blk.t.extra?.(ch, b.cur, c).replace(/^, /, '') ?? '';
  b.lines.push(`stage: blk(${width}) x n with first(stride = 2)`);
  let out: Shape | undefined = b.cur;
  for (let i = 0; i < n && out; i++) out = blk.t.apply(out, c, i === 0 ? 2 : 1);
  if (!out) b.sure = false;
  b.cur = out ?? b.cur;
  if (ch.chance(50)) b.head();
  const value = extra ? `${blk.name}(${extra})` : blk.name;
  const args = ch.chance(50) ? `${value}, ${n}, ${c}` : `${value}, ${width} = ${c}, n = ${n}`;
  const expectLine = ch.chance(60) ? `\n  expect output == ${typeText(b.cur)}` : '';
  const text = `network ${gen}(blk, n, ${width} = 8) {\n  input img: ${typeText(input)}\n  ${b.lines.join('\n  ')}\n}\n\nnetwork ${net} = ${gen}(${args}) {${expectLine}\n}`;
  return { text, sure: b.sure, outputs: [{ name: 'output', type: typeText(b.cur) }] };
}

/** A network defined from std/resnet's CIFAR ResNet, with a smaller input. */
function cifarNetwork(ch: Choices): { text: string; sure: boolean; outputs: GenProgram['outputs'] } {
  const k = ch.int(2, 10);
  const h = ch.pick([8, 4, 6]);
  const policy = ch.pick(['', ', policy = B', ', policy = C']);
  const text = `network net = cifar_resnet(1, classes = ${k}${policy}) {\n  input image: f32[N, 3, ${h}, ${h}]\n  expect output == f32[N, ${k}]\n}`;
  return { text, sure: true, outputs: [{ name: 'logits', type: `f32[N, ${k}]` }] };
}

export function buildProgram(ch: Choices): GenProgram {
  const useStd = ch.chance(35);
  // std/resnet's names are taken when it is used
  const taken = new Set<string>(useStd ? ['basic', 'bottleneck', 'preact', 'resnet', 'cifar_resnet'] : []);
  const { defs, callables } = blocks(ch, useStd, taken);
  const mode = ch.int(0, 9);
  const net =
    mode >= 7 && callables.some((c) => c.t.stride)
      ? genericNetwork(ch, callables, taken)
      : mode === 6 && useStd
        ? cifarNetwork(ch)
        : plainNetwork(ch, callables, taken);
  const parts = [...(useStd ? ['use std/resnet'] : []), ...(ch.chance(20) ? ['# a generated program'] : []), ...defs, net.text];
  let text = `${parts.join('\n\n')}\n`;
  if (ch.chance(5)) text = text.replace(/\n/g, '\r\n');
  return { text, sure: net.sure, outputs: net.outputs };
}

/** Spreads fast-check's small-biased numbers over the choices, keeping 0 (the simplest choice) as 0. */
const scramble = (x: number): number => (x === 0 ? 0 : 1 + (Math.imul(x, 0x9e3779b1) >>> 0) % 9973);

/** Programs from sequences of choices; shrinking the sequence simplifies the program. */
export const programArb: fc.Arbitrary<GenProgram> = fc
  .array(fc.nat({ max: 9999 }), { maxLength: 300, size: 'max' })
  .map((xs) => buildProgram(new Choices(xs.map(scramble))));
