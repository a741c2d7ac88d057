/** Decoding encoded bytes back with onnx-proto, typed with every field present (as decode fills them). */
import onnxProto from 'onnx-proto';
import type { onnx as pb } from 'onnx-proto';

export const { onnx } = onnxProto;

type Full<T> = T extends Uint8Array
  ? Uint8Array
  : T extends readonly (infer U)[]
    ? Full<U>[]
    : T extends object
      ? { [K in keyof T]-?: Full<NonNullable<T[K]>> }
      : T;

export type DecodedModel = Full<pb.IModelProto>;

export const decodeModel = (bytes: Uint8Array): DecodedModel => onnx.ModelProto.decode(bytes) as unknown as DecodedModel;

/** Which member of a dimension's oneof is set: 'dimValue', 'dimParam' or undefined. */
export const dimKind = (d: object): string | undefined => (d as pb.TensorShapeProto.Dimension).value;
