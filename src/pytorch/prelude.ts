/**
 * The helper functions the spec's expressions may call in the emitted code (the built-in
 * functions of the language that Python lacks without an import: make_divisible, floor, ceil),
 * each written into a file only when its code calls it. The helpers of layers (StochasticDepth,
 * LayerNorm2d...) are their ops' (src/ir/ops).
 */

const functions: readonly (readonly [string, string])[] = [
  [
    'make_divisible',
    `def make_divisible(v, divisor, min_value=None):
    """torchvision's _make_divisible: the multiple of divisor nearest v, not
    below min_value (divisor by default) and not more than 10% below v."""
    if min_value is None:
        min_value = divisor
    new_v = max(min_value, int(v + divisor / 2) // divisor * divisor)
    if new_v < 0.9 * v:
        new_v += divisor
    return new_v
`,
  ],
  [
    'floor',
    `def floor(x):
    """The integer below x (math.floor)."""
    return int(x // 1)
`,
  ],
  [
    'ceil',
    `def ceil(x):
    """The integer above x (math.ceil)."""
    return -int(-x // 1)
`,
  ],
];

/** The definitions of the helper functions among the names called. */
export function preludeFunctions(called: ReadonlySet<string>): string[] {
  return functions.filter(([name]) => called.has(name)).map(([, text]) => text);
}
