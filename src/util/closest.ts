/**
 * The known name closest to a misspelled one, by edit distance: at most 2, and less than the
 * name's length (so that `x` does not suggest `fc`).
 */

/** Levenshtein distance, capped: anything over `cap` is cap + 1. */
export function editDistance(a: string, b: string, cap = 2): number {
  if (Math.abs(a.length - b.length) > cap) return cap + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return Math.min(prev[b.length]!, cap + 1);
}

/** The candidate closest to `name` (ties: the first), if one is close enough. */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestD = Math.min(2, name.length - 1) + 1;
  for (const c of candidates) {
    if (c === name) continue;
    const d = editDistance(name, c);
    if (d < bestD) [best, bestD] = [c, d];
  }
  return best;
}
