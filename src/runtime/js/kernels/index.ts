/** The kernel of each supported operator; a missing entry is a type error. */
import type { Kernel } from '../kernel.js';
import type { SupportedOp } from '../ops.js';
import { Add } from './Add.js';
import { AveragePool } from './AveragePool.js';
import { BatchNormalization } from './BatchNormalization.js';
import { Concat } from './Concat.js';
import { Constant } from './Constant.js';
import { Conv } from './Conv.js';
import { Dropout } from './Dropout.js';
import { Flatten } from './Flatten.js';
import { Gemm } from './Gemm.js';
import { GlobalAveragePool } from './GlobalAveragePool.js';
import { Identity } from './Identity.js';
import { MatMul } from './MatMul.js';
import { MaxPool } from './MaxPool.js';
import { Mul } from './Mul.js';
import { Pad } from './Pad.js';
import { Relu } from './Relu.js';
import { Reshape } from './Reshape.js';
import { Sigmoid } from './Sigmoid.js';
import { Softmax } from './Softmax.js';

export const kernels: { readonly [K in SupportedOp]: Kernel } = {
  Add, AveragePool, BatchNormalization, Concat, Constant, Conv, Dropout, Flatten, Gemm,
  GlobalAveragePool, Identity, MatMul, MaxPool, Mul, Pad, Relu, Reshape, Sigmoid, Softmax,
};
