/** The kernel of each supported operator; a missing entry is a type error. */
import type { Kernel } from '../kernel.js';
import type { SupportedOp } from '../ops.js';
import { Add } from './Add.js';
import { AveragePool } from './AveragePool.js';
import { BatchNormalization } from './BatchNormalization.js';
import { Clip } from './Clip.js';
import { Concat } from './Concat.js';
import { Constant } from './Constant.js';
import { Conv } from './Conv.js';
import { Div } from './Div.js';
import { Dropout } from './Dropout.js';
import { Erf } from './Erf.js';
import { Exp } from './Exp.js';
import { Flatten } from './Flatten.js';
import { Gather } from './Gather.js';
import { Gelu } from './Gelu.js';
import { Gemm } from './Gemm.js';
import { GlobalAveragePool } from './GlobalAveragePool.js';
import { HardSigmoid } from './HardSigmoid.js';
import { HardSwish } from './HardSwish.js';
import { Identity } from './Identity.js';
import { LayerNormalization } from './LayerNormalization.js';
import { MatMul } from './MatMul.js';
import { MaxPool } from './MaxPool.js';
import { Mul } from './Mul.js';
import { Neg } from './Neg.js';
import { Pad } from './Pad.js';
import { Pow } from './Pow.js';
import { ReduceMean } from './ReduceMean.js';
import { ReduceSum } from './ReduceSum.js';
import { Relu } from './Relu.js';
import { Reshape } from './Reshape.js';
import { Shape } from './Shape.js';
import { Sigmoid } from './Sigmoid.js';
import { Softmax } from './Softmax.js';
import { Sqrt } from './Sqrt.js';
import { Squeeze } from './Squeeze.js';
import { Sub } from './Sub.js';
import { Tanh } from './Tanh.js';
import { Transpose } from './Transpose.js';
import { Unsqueeze } from './Unsqueeze.js';

export const kernels: { readonly [K in SupportedOp]: Kernel } = {
  Add, AveragePool, BatchNormalization, Clip, Concat, Constant, Conv, Div, Dropout, Erf, Exp,
  Flatten, Gather, Gelu, Gemm, GlobalAveragePool, HardSigmoid, HardSwish, Identity,
  LayerNormalization, MatMul, MaxPool, Mul, Neg, Pad, Pow, ReduceMean, ReduceSum, Relu, Reshape,
  Shape, Sigmoid, Softmax, Sqrt, Squeeze, Sub, Tanh, Transpose, Unsqueeze,
};
