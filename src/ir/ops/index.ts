/** The table of every op definition, keyed by op name. */
import type { OpName } from '../types.js';
import type { OpDef } from './op.js';
import { add } from './add.js';
import { bn } from './bn.js';
import { conv } from './conv.js';
import { relu, sigmoid } from './elementwise.js';
import { fc } from './fc.js';
import { flatten } from './flatten.js';
import { gap } from './gap.js';
import { padChannels } from './pad-channels.js';
import { dropout, identity } from './passthrough.js';
import { avgpool, maxpool } from './pool.js';
import { shortcut } from './shortcut.js';

export const ops: Readonly<Record<OpName, OpDef>> = {
  conv,
  bn,
  relu,
  sigmoid,
  maxpool,
  avgpool,
  gap,
  flatten,
  fc,
  dropout,
  identity,
  add,
  shortcut,
  pad_channels: padChannels,
};

export type { OpDef, ParamSpec, InferError, OnnxLowering, OnnxAttrValue } from './op.js';
export { isInferError } from './op.js';
