/**
 * Builds torchvision-shaped ResNets as in-memory OnnxModels with seeded random weights (names as
 * PyTorch's state_dict): conv1 7x7/2, bn1, relu, maxpool 3x3/2, four stages of basic or bottleneck
 * blocks (stride on the bottleneck's 3x3 conv, projection shortcuts where the shape changes),
 * global average pool, flatten, fc. Used by make-resnet-onnx.ts and by tests, at any width.
 */
import type { OnnxModel, OnnxNode, OnnxTensor } from '../src/onnx/model.js';
import { Rng } from '../src/weights/rng.js';

export interface ResNetSpec {
  block: 'basic' | 'bottleneck';
  layers: number[];
  /** Channels of the stem and the first stage (64 in torchvision). */
  width?: number;
  classes?: number;
  seed?: number;
}

export const resnet18: ResNetSpec = { block: 'basic', layers: [2, 2, 2, 2] };
export const resnet50: ResNetSpec = { block: 'bottleneck', layers: [3, 4, 6, 3] };

class Builder {
  readonly nodes: OnnxNode[] = [];
  readonly initializers: OnnxTensor[] = [];
  private readonly rng: Rng;

  constructor(seed: number) {
    this.rng = new Rng(seed);
  }

  tensor(name: string, dims: number[], lo: number, hi: number): string {
    const data = new Float32Array(dims.reduce((a, b) => a * b, 1));
    this.rng.fillUniform(data, lo, hi);
    this.initializers.push({ name, dims, dataType: 'float32', data });
    return name;
  }

  node(opType: string, name: string, inputs: string[], attrs: OnnxNode['attrs'] = {}): string {
    const out = `${name}_out`;
    this.nodes.push({ name, opType, domain: '', inputs, outputs: [out], attrs });
    return out;
  }

  conv(name: string, x: string, cin: number, cout: number, k: number, stride: number): string {
    const bound = Math.sqrt(6 / (cin * k * k));
    const w = this.tensor(`${name}.weight`, [cout, cin, k, k], -bound, bound);
    const p = (k - 1) >> 1;
    return this.node('Conv', name, [x, w], {
      kernel_shape: { type: 'ints', value: [k, k] }, strides: { type: 'ints', value: [stride, stride] },
      pads: { type: 'ints', value: [p, p, p, p] }, dilations: { type: 'ints', value: [1, 1] }, group: { type: 'int', value: 1 },
    });
  }

  bn(name: string, x: string, c: number): string {
    const params = [
      this.tensor(`${name}.weight`, [c], 0.5, 1.5), this.tensor(`${name}.bias`, [c], -0.1, 0.1),
      this.tensor(`${name}.running_mean`, [c], -0.1, 0.1), this.tensor(`${name}.running_var`, [c], 0.5, 1.5),
    ];
    return this.node('BatchNormalization', name, [x, ...params], { epsilon: { type: 'float', value: Math.fround(1e-5) } });
  }

  relu(name: string, x: string): string {
    return this.node('Relu', name, [x]);
  }

  block(spec: ResNetSpec, name: string, x: string, cin: number, planes: number, stride: number): { out: string; channels: number } {
    const expansion = spec.block === 'basic' ? 1 : 4;
    const cout = planes * expansion;
    let y: string;
    if (spec.block === 'basic') {
      y = this.relu(`${name}.relu1`, this.bn(`${name}.bn1`, this.conv(`${name}.conv1`, x, cin, planes, 3, stride), planes));
      y = this.bn(`${name}.bn2`, this.conv(`${name}.conv2`, y, planes, planes, 3, 1), planes);
    } else {
      y = this.relu(`${name}.relu1`, this.bn(`${name}.bn1`, this.conv(`${name}.conv1`, x, cin, planes, 1, 1), planes));
      y = this.relu(`${name}.relu2`, this.bn(`${name}.bn2`, this.conv(`${name}.conv2`, y, planes, planes, 3, stride), planes));
      y = this.bn(`${name}.bn3`, this.conv(`${name}.conv3`, y, planes, cout, 1, 1), cout);
    }
    const shortcut = stride !== 1 || cin !== cout
      ? this.bn(`${name}.downsample.1`, this.conv(`${name}.downsample.0`, x, cin, cout, 1, stride), cout)
      : x;
    return { out: this.relu(`${name}.relu`, this.node('Add', `${name}.add`, [y, shortcut])), channels: cout };
  }
}

export function resnetModel(spec: ResNetSpec, name = 'resnet'): OnnxModel {
  const width = spec.width ?? 64;
  const classes = spec.classes ?? 1000;
  const b = new Builder(spec.seed ?? 1);
  let x = b.conv('conv1', 'input', 3, width, 7, 2);
  x = b.relu('relu', b.bn('bn1', x, width));
  x = b.node('MaxPool', 'maxpool', [x], {
    kernel_shape: { type: 'ints', value: [3, 3] }, strides: { type: 'ints', value: [2, 2] }, pads: { type: 'ints', value: [1, 1, 1, 1] },
  });
  let channels = width;
  spec.layers.forEach((count, stage) => {
    for (let i = 0; i < count; i++) {
      const r = b.block(spec, `layer${stage + 1}.${i}`, x, channels, width << stage, stage > 0 && i === 0 ? 2 : 1);
      x = r.out;
      channels = r.channels;
    }
  });
  x = b.node('Flatten', 'flatten', [b.node('GlobalAveragePool', 'avgpool', [x])], { axis: { type: 'int', value: 1 } });
  const bound = 1 / Math.sqrt(channels);
  const fcW = b.tensor('fc.weight', [classes, channels], -bound, bound);
  const fcB = b.tensor('fc.bias', [classes], -bound, bound);
  b.nodes.push({ name: 'fc', opType: 'Gemm', domain: '', inputs: [x, fcW, fcB], outputs: ['output'], attrs: { transB: { type: 'int', value: 1 } } });
  return {
    irVersion: 8, opsetVersion: 17, producerName: 'resdsl-scripts', producerVersion: '0', graphName: name, metadata: {},
    inputs: [{ name: 'input', elemType: 'float32', shape: ['N', 3, 'H', 'W'] }],
    outputs: [{ name: 'output', elemType: 'float32', shape: ['N', classes] }],
    valueInfo: [], nodes: b.nodes, initializers: b.initializers,
  };
}
