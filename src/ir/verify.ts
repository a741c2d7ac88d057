/**
 * The IR verifier: the invariants every graph satisfies after elaboration and after every pass.
 * It returns the problems it finds as strings (empty when the graph is well-formed); a problem is
 * a compiler bug, never a user error, and `assertValid` turns problems into a thrown Error.
 *
 * Checked: value names unique (graph inputs and nodes); every node input defined earlier
 * (topological order); arity; every attribute of the op present, none unknown, each of the
 * default's type; every value's type recorded, and each node's type equal to what its op's `infer` gives; parameter
 * roles, shapes, trainability and init kind as the op's `params()` gives, each tensor in
 * `graph.params` and used by one node only; data of the right length; outputs naming existing
 * values, with unique names; optionally no unresolved `shortcut`; and nothing dangling: no type
 * for a value that does not exist, no parameter tensor that no node uses.
 */
import { isInferError, isOpName, opDef, type ParamSpec } from './ops/index.js';
import { formatType, sameType, type IrGraph, type IrNode, type TensorType } from './types.js';

export interface VerifyOptions {
  /** Require every `shortcut` to be resolved (after the shortcut pass). */
  resolved?: boolean;
}

const shape = (s: readonly number[]) => `[${s.join(', ')}]`;
const sameShape = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((d, i) => d === b[i]);
const product = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

/** Attribute names and kinds; returns false when inference cannot be trusted to run on them. */
function checkAttrs(n: IrNode, problems: string[]): boolean {
  const defaults = opDef(n.op).attrs;
  let ok = true;
  for (const k in defaults)
    if (!Object.hasOwn(n.attrs, k)) {
      problems.push(`node ${n.name}: attribute ${k} of ${n.op} is missing`);
      ok = false;
    }
  for (const k in n.attrs) {
    const v = n.attrs[k];
    if (!Object.hasOwn(defaults, k)) problems.push(`node ${n.name}: ${n.op} has no attribute ${k}`);
    else if (typeof v !== typeof defaults[k] || Array.isArray(v) !== Array.isArray(defaults[k])) {
      problems.push(`node ${n.name}: attribute ${k} is a ${typeof v}, ${n.op} wants a ${typeof defaults[k]}`);
      ok = false;
    }
  }
  return ok;
}

/**
 * Checks the node's type against its op's inference from the inferred types of earlier values
 * (`known` where they differ from the recorded ones), so that one wrong type is reported once, not
 * again at every user. Returns the input types when all are known and inference succeeded.
 */
function checkType(g: IrGraph, n: IrNode, known: Map<string, TensorType>, problems: string[]): TensorType[] | undefined {
  const def = opDef(n.op);
  const own = g.types.get(n.name);
  if (!own) problems.push(`node ${n.name} has no type`);
  const ins = n.inputs.map((i) => known.get(i) ?? g.types.get(i));
  if (ins.some((t) => t === undefined)) return undefined;
  const inTypes = ins as TensorType[];
  let inferred: ReturnType<typeof def.infer>;
  try {
    inferred = def.infer(n.attrs, inTypes);
  } catch (e) {
    problems.push(`node ${n.name}: ${n.op} inference failed: ${(e as Error).message}`);
    return undefined;
  }
  if (isInferError(inferred)) {
    problems.push(`node ${n.name}: ${n.op} rejects its inputs (${inTypes.map(formatType).join(', ')}): ${inferred.message}`);
    return undefined;
  }
  // `known` holds only the inferred types that differ from the recorded ones (rare: it is empty in
  // a valid graph, which is then checked against its own types without copying them)
  if (own && sameType(own, inferred)) return inTypes;
  known.set(n.name, inferred);
  if (own) problems.push(`node ${n.name} has type ${formatType(own)}, but ${n.op} infers ${formatType(inferred)}`);
  return inTypes;
}

/** Records which node uses each parameter tensor; a tensor used twice is a problem. */
function claimParams(n: IrNode, owner: Map<string, string>, problems: string[]): void {
  const names = Object.values(n.params); // a node has a few: a list is quicker than a set
  names.forEach((name, i) => {
    const prev = owner.get(name);
    if (prev !== undefined && prev !== n.name) problems.push(`parameter ${name} is used by both ${prev} and ${n.name}`);
    else if (names.indexOf(name) < i) problems.push(`parameter ${name} is used twice by ${n.name}`);
    owner.set(name, n.name);
  });
}

function checkParams(g: IrGraph, n: IrNode, inTypes: TensorType[], problems: string[]): void {
  const def = opDef(n.op);
  let specs: ParamSpec[];
  try {
    specs = def.params(n.attrs, inTypes);
  } catch (e) {
    problems.push(`node ${n.name}: ${n.op} parameter shapes failed: ${(e as Error).message}`);
    return;
  }
  for (const role in n.params) if (!specs.some((s) => s.role === role)) problems.push(`node ${n.name}: ${n.op} has no parameter ${role}`);
  for (const spec of specs) {
    const name = n.params[spec.role];
    if (name === undefined) {
      problems.push(`node ${n.name}: parameter ${spec.role} is missing`);
      continue;
    }
    const t = g.params.get(name);
    if (!t) {
      problems.push(`node ${n.name}: parameter ${name} is not in the graph's parameters`);
      continue;
    }
    if (t.name !== name) problems.push(`parameter ${name} is stored under the name ${t.name}`);
    if (!sameShape(t.shape, spec.shape)) problems.push(`parameter ${name} has shape ${shape(t.shape)}, ${n.op} needs ${shape(spec.shape)}`);
    if (t.trainable !== spec.trainable || t.init !== spec.init)
      problems.push(`parameter ${name} is ${t.init}${t.trainable ? '' : ' (buffer)'}, ${n.op} needs ${spec.init}${spec.trainable ? '' : ' (buffer)'}`);
    if (t.data && t.data.length !== product(t.shape))
      problems.push(`parameter ${name} holds ${t.data.length} values, its shape ${shape(t.shape)} needs ${product(t.shape)}`);
  }
}

interface State {
  defined: Set<string>;
  known: Map<string, TensorType>;
  /** Parameter tensor -> the node using it. */
  owner: Map<string, string>;
}

function checkNode(g: IrGraph, n: IrNode, st: State, opts: VerifyOptions, problems: string[]): void {
  const def = isOpName(n.op) ? opDef(n.op) : undefined;
  if (!def) {
    problems.push(`node ${n.name} has an unknown op ${String(n.op)}`);
    return;
  }
  if (opts.resolved && n.op === 'shortcut') problems.push(`node ${n.name} is an unresolved shortcut`);
  if (n.inputs.length !== def.arity) problems.push(`node ${n.name}: ${n.op} takes ${def.arity} input(s), found ${n.inputs.length}`);
  for (const i of n.inputs) if (!st.defined.has(i)) problems.push(`node ${n.name} uses ${i} before it is defined`);
  const attrsOk = checkAttrs(n, problems);
  claimParams(n, st.owner, problems);
  if (!attrsOk) return;
  const inTypes = checkType(g, n, st.known, problems);
  if (inTypes && inTypes.length === def.arity) checkParams(g, n, inTypes, problems);
}

function checkInputs(g: IrGraph, { defined, known }: State, problems: string[]): void {
  for (const i of g.inputs) {
    if (defined.has(i.name)) problems.push(`input ${i.name} is defined twice`);
    defined.add(i.name);
    known.set(i.name, i.type);
    const t = g.types.get(i.name);
    if (!t) problems.push(`input ${i.name} has no type`);
    else if (!sameType(t, i.type)) problems.push(`input ${i.name} is declared ${formatType(i.type)}, but its recorded type is ${formatType(t)}`);
  }
}

function checkOutputs(g: IrGraph, defined: Set<string>, problems: string[]): void {
  const names = new Set<string>();
  for (const o of g.outputs) {
    if (names.has(o.name)) problems.push(`output ${o.name} is given twice`);
    names.add(o.name);
    if (!defined.has(o.value)) problems.push(`output ${o.name} refers to ${o.value}, which does not exist`);
  }
  if (g.outputs.length === 0) problems.push('the graph has no outputs');
}

function checkDangling(g: IrGraph, defined: Set<string>, owner: Map<string, string>, problems: string[]): void {
  for (const v of g.types.keys()) if (!defined.has(v)) problems.push(`a type is recorded for ${v}, which is no value of the graph`);
  for (const p of g.params.keys()) if (!owner.has(p)) problems.push(`parameter ${p} is used by no node`);
}

/** The problems of a graph, in a deterministic order; empty when it is well-formed. */
export function verifyGraph(g: IrGraph, opts: VerifyOptions = {}): string[] {
  const problems: string[] = [];
  const st: State = { defined: new Set(), known: new Map(), owner: new Map() };
  checkInputs(g, st, problems);
  for (const n of g.nodes) {
    checkNode(g, n, st, opts, problems);
    if (st.defined.has(n.name)) problems.push(`value ${n.name} is defined twice`);
    st.defined.add(n.name);
  }
  checkOutputs(g, st.defined, problems);
  checkDangling(g, st.defined, st.owner, problems);
  return problems;
}

/** Throws an internal error (a compiler bug) listing the problems, if there are any. */
export function assertValid(g: IrGraph, where: string, opts: VerifyOptions = {}): void {
  const problems = verifyGraph(g, opts);
  if (problems.length === 0) return;
  const shown = problems.slice(0, 20).map((p) => `  - ${p}`);
  if (problems.length > shown.length) shown.push(`  - and ${problems.length - shown.length} more`);
  throw new Error(`internal: the IR of ${g.name} is invalid ${where}:\n${shown.join('\n')}`);
}
