/**
 * `A + B` and `A * B`: every operand reads the same input, `out = out + self.downsample(x)`,
 * `out = x * gate`; a shortcut is `self.downsample = shortcut(in_channels, out, stride, policy)`,
 * resolved as the shortcut pass did, its stride the product of the strides of the path it goes
 * around. The first operand is written by the body's own walk (`item`, passed in, as
 * elaboration's combine.ts takes its `elab`).
 */
import { opDef } from '../ir/ops/index.js';
import type { Combination, LayerStmt } from '../parser/ast.js';
import { attrName, call, channelsOf, checkAttr, condition, dimsOf, envOf, flag, flat, fresh, selfAttr, setAttr, slot, sourceText, type BodyContext, type Flow, type Sample } from './context.js';
import { unsupported } from './errors.js';
import type { Dims } from './layer.js';
import * as py from './py/expr.js';
import { type PyExpr, type PyValue } from './py/expr.js';
import { tryEvaluate } from './py/evaluate.js';
import { assign, type PyStmt } from './py/format.js';
import { moduleOf, sequence } from './sequence.js';
import type { TItem, TOperand, TTerm } from './trace.js';
import { translate } from './translate.js';

/** How the body writes a statement (body.ts's `item`), for the operands. */
export type WriteItem = (c: BodyContext, taken: LayerStmt, samples: readonly Sample[], init: PyStmt[], flow: Flow) => void;

/** `A + B + ...` or `A * B * ...` at the body's level: the first operand's layers, then each other one joined to it. */
export function combination(c: BodyContext, t: Combination, samples: readonly Sample[], init: PyStmt[], flow: Flow, item: WriteItem): void {
  const ops = (s: Sample) => (s.item.term as TTerm & { kind: 'combination' }).operands;
  if (samples.some((s) => ops(s)[0]!.role === 'absent')) throw unsupported('the PyTorch backend needs the first operand of a residual or product in every use', t.operands[0]!.span);
  const input = flow.v;
  const inputDims = flow.dims;
  const mainSamples = samples.map((s) => ({ ...s, item: operandItem(ops(s)[0]!, s) }));
  let acc: string;
  let accDims: Dims;
  let pathStrides: PyExpr[] = [];
  if (ops(samples[0]!)[0]!.role === 'input') {
    acc = input;
    accDims = inputDims;
  } else {
    const sub: Flow = { fwd: flow.fwd, v: input, target: fresh(c, 'forward', 'out'), dims: inputDims };
    const taken = mainSamples[0]!.item.taken!;
    c.strides.push([]);
    item(c, taken, mainSamples, init, sub);
    pathStrides = c.strides.pop()!;
    acc = sub.v;
    accDims = sub.dims;
  }
  t.operands.slice(1).forEach((stmt, j) => {
    const k = j + 1;
    const sub = samples.map((s) => ({ ...s, item: operandItem(ops(s)[k]!, s) }));
    const roles = new Set(samples.map((s) => ops(s)[k]!.role).filter((r) => r !== 'absent'));
    if (roles.size === 0) {
      if (!c.concrete) init.push({ k: 'comment', text: `(${sourceText(c, stmt.span)}: in no use of this block)` });
      return;
    }
    if (roles.size > 1) throw unsupported('the PyTorch backend cannot write an operand that is a different thing in different uses of its block', stmt.span);
    const present = samples.filter((s) => ops(s)[k]!.role !== 'absent');
    const conditional = !c.concrete && stmt.when !== undefined;
    const opInit: PyStmt[] = [];
    const opFwd: PyStmt[] = [];
    const role = [...roles][0]!;
    let other: PyExpr;
    if (role === 'input') other = py.name(input);
    else if (role === 'shortcut') other = shortcut(c, present.map((s) => ({ s, op: ops(s)[k] as TOperand & { role: 'shortcut' } })), stmt, input, inputDims, accDims, pathStrides, opInit);
    else other = operand(c, t.op, stmt, present.map((s) => ({ ...s, item: operandItem(ops(s)[k]!, s) })), opInit, opFwd, input, inputDims, item);
    const joined = acc === input ? fresh(c, 'forward', 'out') : acc;
    opFwd.push(assign(joined, py.bin(t.op, py.name(acc), other)));
    acc = joined;
    if (conditional) {
      const test = condition(c, stmt, sub);
      if (opInit.length) init.push({ k: 'if', test, body: opInit });
      flow.fwd.push({ k: 'if', test: py.raw(`self.${flag(c, test, t.op === '+' ? 'residual' : 'gate')}`), body: opFwd });
    } else {
      init.push(...opInit);
      flow.fwd.push(...opFwd);
    }
  });
  flow.v = acc;
  flow.target = acc;
  flow.dims = dimsOf(c, samples, (s) => s.item.output, [...flat(accDims), ...flat(inputDims)]);
}

/** The traced item of an operand (a statement as written, absent where its condition fails). */
export function operandItem(op: TOperand, s: Sample): TItem {
  if (op.role === 'term') return op.item;
  const v = s.item.input;
  return { stmt: op.stmt, taken: op.role === 'absent' ? undefined : op.stmt, env: s.item.env, input: v, output: v };
}

/** An operand after the first that is a term: a module applied to the input (`self.downsample(x)`), or, in a product, an inline path (`gate`). */
export function operand(c: BodyContext, op: '+' | '*', stmt: LayerStmt, samples: readonly Sample[], init: PyStmt[], fwd: PyStmt[], input: string, dims: Dims, item: WriteItem): PyExpr {
  const taken = samples[0]!.item.taken!;
  const t = taken.term;
  if (op === '*' && !taken.label && t.kind === 'Path') {
    const sub: Flow = { fwd, v: input, target: fresh(c, 'forward', 'gate'), dims };
    item(c, taken, samples, init, sub);
    return py.name(sub.v);
  }
  if (taken.label || t.kind === 'Call') {
    // a labelled operand, or a block or layer: an attribute of its own
    const flowed: Flow = { fwd, v: input, target: fresh(c, 'forward', 'branch'), dims };
    const before = fwd.length;
    item(c, taken, samples, init, flowed);
    const last = fwd.splice(before);
    if (last.length === 1 && last[0]!.k === 'assign') {
      c.locals.forward.delete(flowed.target);
      return last[0]!.value;
    }
    fwd.push(...last);
    return py.name(flowed.v);
  }
  // an unlabelled path or term after `+` is a Sequential named downsample (downsample2...), as elaboration names it
  const name = attrName(c, samples, (s) => s.inst.prefix, stmt.span);
  const seq = t.kind === 'Path' ? sequence(c, taken, samples, init, (s) => (s.inst.prefix ? `${s.inst.prefix}.${name}` : name), selfAttr(name).startsWith('self.') ? selfAttr(name) : undefined, dims) : { expr: py.call('nn.Sequential', [moduleOf(c, taken, samples, init, (s) => `${s.inst.prefix ? `${s.inst.prefix}.` : ''}${name}.0`, dims).expr]) };
  if (seq.expr) init.push(setAttr(name, seq.expr));
  return call(name, input);
}

/** What the shortcut pass made of a shortcut in one use. */
export function resolution(resolved: readonly { op: string }[]): 'identity' | 'A' | 'projection' {
  if (resolved.length === 0) return 'identity';
  return resolved.some((n) => n.op === 'conv') ? 'projection' : 'A';
}

/**
 * A shortcut: `self.downsample = shortcut(in_channels, out, stride, policy)`, applied to the
 * input, its stride the product of the strides of the path it goes around. The helper resolves
 * it as the pass does; the resolution it gives is checked against the pass's in every use.
 */
export function shortcut(c: BodyContext, uses: readonly { s: Sample; op: TOperand & { role: 'shortcut' } }[], stmt: LayerStmt, input: string, inDims: Dims, outDims: Dims, strides: readonly PyExpr[], init: PyStmt[]): PyExpr {
  const samples = uses.map((u) => u.s);
  const span = stmt.term.span;
  const names = new Set(uses.map((u) => u.op.node.name.slice(u.s.inst.prefix ? u.s.inst.prefix.length + 1 : 0)));
  if (names.size > 1) throw unsupported('the PyTorch backend cannot name this shortcut: its name differs between uses', span);
  const name = [...names][0]!;
  c.attrs.add(name);
  const node = (s: Sample) => uses[samples.indexOf(s)]!.op.node;
  const inC = slot(c, 'the input channels of a shortcut', 'int', samples, (s) => ({ t: 'int', v: channelsOf(c, s.item.input) }), [...(inDims[1] ?? [])], span);
  const out = slot(c, 'the output channels of a shortcut', 'int', samples, (s) => ({ t: 'int', v: node(s).attrs.out as number }), [...(outDims[1] ?? []), ...(inDims[1] ?? [])], span);
  // the path's stride: the product of its layers'
  const product = strides.reduce<PyExpr | undefined>((acc, e) => (acc ? py.bin('*', acc, e) : e), undefined) ?? py.int(1);
  const stride = slot(c, 'the stride of a shortcut', 'int', samples, (s) => ({ t: 'int', v: node(s).attrs.stride as number }), [product], span);
  const src = uses[0]!.op.policy;
  const policy = slot(c, 'the policy of a shortcut', 'str', samples, (s) => ({ t: 'str', v: (node(s).attrs.policy as string) || 'auto' }), [src && 'expr' in src ? translate(src.expr, c.names) : undefined], span);
  for (const u of uses) {
    const env = envOf(c, u.s);
    const [i, o, st, p] = [inC, out, stride, policy].map((e) => tryEvaluate(e, env)) as [PyValue, PyValue, PyValue, PyValue];
    const pol = p.t === 'str' && p.v !== 'auto' ? p.v : c.policy;
    const same = (i as { v: number }).v === (o as { v: number }).v && (st as { v: number }).v === 1;
    const expect = same && pol !== 'C' ? 'identity' : pol === 'A' ? 'A' : 'projection';
    if (expect !== resolution(u.op.resolved)) throw new Error(`internal: shortcut() gives ${expect} where the pass made ${resolution(u.op.resolved)} (${u.op.node.name})`);
  }
  for (const [k, v] of Object.entries(opDef('shortcut').pytorch.helpers ?? {})) c.helpers.set(k, v);
  checkAttr(name, span);
  init.push(setAttr(name, py.call('shortcut', [inC, out, stride, policy])));
  return call(name, input);
}
