import { describe, expect, it } from 'vitest';
import { seedWeights } from '../../src/weights/attach.js';
import { tensorType, type IrGraph, type IrNode } from '../../src/ir/types.js';
import { assertValid, verifyGraph } from '../../src/ir/verify.js';
import { elaborate, resolved } from '../passes/helpers.js';

const text = `
network t {
  input image: f32[N, 3, 8, 8]
  conv3(4); bn; relu
  <conv3(8, stride = 2); bn> + shortcut
  gap; flatten; fc(5)
}
`;
const base = resolved(text, 'B');
const unresolved = elaborate(text);

function withNodes(g: IrGraph, f: (nodes: IrNode[]) => IrNode[]): IrGraph {
  return { ...g, nodes: f([...g.nodes]) };
}
const node = (g: IrGraph, name: string) => g.nodes.find((n) => n.name === name)!;
const replace = (g: IrGraph, name: string, n: Partial<IrNode>) => withNodes(g, (ns) => ns.map((m) => (m.name === name ? { ...m, ...n } : m)));

describe('verifyGraph', () => {
  it('accepts what elaboration and the shortcut pass build, with and without weights', () => {
    expect(verifyGraph(unresolved)).toEqual([]);
    expect(verifyGraph(base, { resolved: true })).toEqual([]);
    expect(verifyGraph(seedWeights(base, 3), { resolved: true })).toEqual([]);
  });

  it('reports an unresolved shortcut only when asked', () => {
    expect(verifyGraph(unresolved, { resolved: true })).toEqual(['node downsample is an unresolved shortcut']);
  });

  it('reports a use before the definition (nodes out of topological order)', () => {
    const g = withNodes(base, (ns) => [ns[1]!, ns[0]!, ...ns.slice(2)]);
    expect(verifyGraph(g)).toEqual(['node bn1 uses conv1 before it is defined']);
  });

  it('reports an input that is defined nowhere', () => {
    expect(verifyGraph(replace(base, 'relu', { inputs: ['nowhere'] }))).toEqual(['node relu uses nowhere before it is defined']);
  });

  it('reports a name defined twice', () => {
    const g = withNodes(base, (ns) => ns.map((n) => (n.name === 'relu' ? { ...n, name: 'bn1' } : n)));
    expect(verifyGraph(g)).toContain('value bn1 is defined twice');
    const shadow = replace(base, 'conv1', { name: 'image' });
    expect(verifyGraph(shadow)).toContain('value image is defined twice');
  });

  it('reports a recorded type that differs from what the op infers', () => {
    const types = new Map(base.types);
    types.set('relu', tensorType(['N', 4, 8, 9]));
    expect(verifyGraph({ ...base, types })).toEqual(['node relu has type f32[N, 4, 8, 9], but relu infers f32[N, 4, 8, 8]']);
    types.delete('relu');
    expect(verifyGraph({ ...base, types })).toEqual(['node relu has no type']);
  });

  it('reports attributes the op rejects, does not know, or of the wrong kind', () => {
    const c = node(base, 'conv1');
    expect(verifyGraph(replace(base, 'conv1', { attrs: { ...c.attrs, groups: 2 } }))).toEqual([
      'node conv1: conv rejects its inputs (f32[N, 3, 8, 8]): conv with 2 groups needs input channels (3) and output channels (4) divisible by 2',
    ]);
    expect(verifyGraph(replace(base, 'conv1', { attrs: { ...c.attrs, size: 3 } }))).toEqual(['node conv1: conv has no attribute size']);
    expect(verifyGraph(replace(base, 'conv1', { attrs: { ...c.attrs, bias: 1 } }))).toEqual([
      'node conv1: attribute bias is a number, conv wants a boolean',
    ]);
    // an attribute change that changes the output type is caught by inference
    expect(verifyGraph(replace(base, 'conv1', { attrs: { ...c.attrs, out: 6 } }))[0]).toBe(
      'node conv1 has type f32[N, 4, 8, 8], but conv infers f32[N, 6, 8, 8]',
    );
  });

  it('reports a wrong number of inputs', () => {
    expect(verifyGraph(replace(base, 'add', { inputs: ['bn2'] }))).toEqual(
      expect.arrayContaining(['node add: add takes 2 input(s), found 1']),
    );
  });

  it('reports parameters missing, misnamed, misshapen, shared, of the wrong kind or with the wrong amount of data', () => {
    const params = new Map(base.params);
    params.delete('bn1.running_var');
    expect(verifyGraph({ ...base, params })).toEqual(["node bn1: parameter bn1.running_var is not in the graph's parameters"]);

    const c = node(base, 'conv1');
    expect(verifyGraph(replace(base, 'conv1', { params: {} }))).toEqual([
      'node conv1: parameter weight is missing',
      'parameter conv1.weight is used by no node',
    ]);
    expect(verifyGraph(replace(base, 'conv1', { params: { ...c.params, extra: 'conv1.weight' } }))).toEqual([
      'parameter conv1.weight is used twice by conv1',
      'node conv1: conv has no parameter extra',
    ]);

    const shaped = new Map(base.params);
    shaped.set('conv1.weight', { ...shaped.get('conv1.weight')!, shape: [4, 3, 1, 1] });
    expect(verifyGraph({ ...base, params: shaped })).toEqual(['parameter conv1.weight has shape [4, 3, 1, 1], conv needs [4, 3, 3, 3]']);

    const kind = new Map(base.params);
    kind.set('bn1.running_mean', { ...kind.get('bn1.running_mean')!, trainable: true });
    expect(verifyGraph({ ...base, params: kind })).toEqual(['parameter bn1.running_mean is bn_mean, bn needs bn_mean (buffer)']);

    const shared = replace(base, 'conv2', { params: { weight: 'conv1.weight' } });
    expect(verifyGraph(shared)).toEqual(expect.arrayContaining(['parameter conv1.weight is used by both conv1 and conv2']));

    const seeded = seedWeights(base, 1);
    const short = new Map(seeded.params);
    short.set('fc.bias', { ...short.get('fc.bias')!, data: new Float32Array(4) });
    expect(verifyGraph({ ...seeded, params: short })).toEqual(['parameter fc.bias holds 4 values, its shape [5] needs 5']);
  });

  it('reports outputs that refer to nothing, outputs named twice, and a graph without outputs', () => {
    const o = base.outputs[0]!;
    expect(verifyGraph({ ...base, outputs: [{ ...o, value: 'gone' }] })).toEqual(['output output refers to gone, which does not exist']);
    expect(verifyGraph({ ...base, outputs: [o, { ...o, value: 'relu' }] })).toEqual(['output output is given twice']);
    expect(verifyGraph({ ...base, outputs: [] })).toEqual(['the graph has no outputs']);
  });

  it('reports what is left dangling: types of removed values, parameters no node uses', () => {
    const rewire = (n: IrNode) => (n.inputs[0] === 'relu' ? { ...n, inputs: ['bn1'] } : n);
    const g = withNodes(base, (ns) => ns.filter((n) => n.name !== 'relu').map(rewire));
    expect(verifyGraph(g)).toEqual(['a type is recorded for relu, which is no value of the graph']);
    const params = new Map(base.params);
    params.set('old.weight', { ...base.params.get('fc.bias')!, name: 'old.weight' });
    expect(verifyGraph({ ...base, params })).toEqual(['parameter old.weight is used by no node']);
  });

  it('reports an input whose recorded type differs from its declaration', () => {
    const types = new Map(base.types);
    types.set('image', tensorType(['N', 3, 8, 7]));
    expect(verifyGraph({ ...base, types })).toEqual(expect.arrayContaining(['input image is declared f32[N, 3, 8, 8], but its recorded type is f32[N, 3, 8, 7]']));
  });
});

describe('assertValid', () => {
  it('throws an internal error naming the graph, the place and the problems', () => {
    expect(() => assertValid(base, 'after pass test', { resolved: true })).not.toThrow();
    expect(() => assertValid(unresolved, 'after pass test', { resolved: true })).toThrow(
      'internal: the IR of t is invalid after pass test:\n  - node downsample is an unresolved shortcut',
    );
  });
});

describe('verifyGraph never throws', () => {
  it('reports a symbolic channel dimension instead of failing', () => {
    const g = resolved('network t { input image: f32[N, 3, 4, 4]; bn }');
    const types = new Map(g.types);
    const sym = tensorType(['N', 'C', 4, 4]);
    types.set('image', sym);
    types.set('bn1', sym);
    const inputs = [{ ...g.inputs[0]!, type: sym }];
    expect(verifyGraph({ ...g, inputs, types })).toEqual(['node bn1: bn parameter shapes failed: internal: symbolic channel dimension']);
  });
});
