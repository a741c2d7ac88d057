/**
 * Every resource limit of the compiler, in one place. Each is enforced by a diagnostic
 * (code in parentheses), never by a crash or a hang. README.md ("Limits") lists them for users.
 */
export const limits = {
  /** Largest source file, in bytes (E0005): about 50,000 lines, far more than any network needs, and parsed in seconds. */
  maxSourceBytes: 1024 * 1024,
  /** Deepest nesting of brackets `< ( { [` in one file (E0402), checked before parsing. */
  maxNesting: 64,
  /** Largest repetition count of one `x n` (E0401). */
  maxRepeat: 100_000,
  /** Deepest chain of block calls, counting a block that calls itself (E0403). */
  maxCallDepth: 64,
  /** Most IR nodes in one network (E0405): ResNet-1202 has 4,210; compile holds 300,000 in well under 2 GB. */
  maxNodes: 300_000,
  /** Most elements in one tensor at batch 1 (E0404): 2^31 - 1, ONNX's int32 index limit. */
  maxTensorElements: 2 ** 31 - 1,
  /** Most parameters (weights and buffers) in one network (E0406): 2^34, 64 GiB of f32. */
  maxParams: 2 ** 34,
  /** Most files reached through `use` from one root (E0501). */
  maxFiles: 1000,
} as const;
