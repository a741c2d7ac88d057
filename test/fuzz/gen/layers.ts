/**
 * Built-in layers for the program generator, with the shape each gives: convolutions in their
 * short and long forms (kernel, stride, padding, dilation, groups, bias) and depthwise, batch
 * norm, every activation, pooling (ceil mode included), gap, flatten, fc, dropout, stochastic
 * depth, layer scale, layer norms, the channels-last pointwise part of a ConvNeXt block (permute,
 * layernorm, linear), identity; paths `<...>` with every separator style; residuals
 * `PATH + shortcut`, `+ shortcut(P)`, `+ identity`, `+ <explicit>`, labelled or not, with two or
 * three operands, sometimes conditional; squeeze-and-excitation gates `A * <...>`. Arguments are
 * written with arithmetic and the rounding functions sometimes.
 */
import { Choices, divisors, flat, gcd, sameShape, shortcutStride, strided, windowOut, type Shape } from './choices.js';

/** One generated piece of layer text and what it computes; `sure` is false where the generator cannot vouch for it. */
export interface Piece {
  text: string;
  out: Shape;
  sure: boolean;
  /** An item whose condition is false: no layer is there, so a label on it names nothing. */
  absent?: boolean;
}

/** An integer literal or an expression equal to it: `12`, `1_2`, `3 * 4`, `(6 + 6)`, `25 // 2`, `24 / 2` (a whole real). */
export function num(ch: Choices, n: number): string {
  switch (ch.int(0, 10)) {
    case 5:
      return n >= 10 ? `${String(n)[0]}_${String(n).slice(1)}` : String(n);
    case 6:
      return n % 2 === 0 && n > 2 ? `2 * ${n / 2}` : `${n - 1} + 1`;
    case 7:
      return `(${n + 3} - 3)`;
    case 8:
      return ch.chance(50) ? `${2 * n + 1} // 2` : `${2 * n} / 2`;
    case 9:
      return `${n} % ${n + 5}`;
    case 10:
      return ch.pick([`round(${n} + 0.25)`, `int(${n}.75)`, `ceil(${n} - 0.5)`, `floor(${n}.5)`, `max(${n}, 1)`, `min(${n}, ${n + 1})`, `make_divisible(${8 * n}, 8) // 8`]);
    default:
      return String(n);
  }
}

/** A condition the generator knows the value of, written in one of the language's ways. */
export function condition(ch: Choices, value: boolean): string {
  const t = ch.pick(['true', '1 == 1', '2 > 1', 'not false', '3 != 4 and 1 < 2', 'false or 1 >= 1', '(1 < 2)']);
  const f = ch.pick(['false', '1 == 2', '2 > 3', 'not true', '3 != 3 or 2 < 1', 'true and 1 >= 2', '(2 < 1)']);
  return value ? t : f;
}

/** A small channel count, mostly 1-16. */
export const channels = (ch: Choices): number => ch.pick([4, 8, 2, 16, 1, 3, 6, 12]);

function conv(ch: Choices, s: Shape): Piece {
  const out = channels(ch);
  switch (ch.int(0, 5)) {
    case 5: {
      // depthwise: the input's channels (times a multiplier)
      const m = ch.pick([1, 1, 2]);
      const st = ch.int(1, 2);
      const text = ch.pick([`dwconv3(stride = ${st}${m > 1 ? `, multiplier = ${m}` : ''})`, `dwconv(k = 3, stride = ${st}${m > 1 ? `, multiplier = ${m}` : ''}, bias = true)`]);
      return { text, out: { ...s, c: s.c * m, h: strided(s.h, st), w: strided(s.w, st) }, sure: true };
    }
    case 0:
      return { text: `conv3(${num(ch, out)})`, out: { ...s, c: out }, sure: true };
    case 1: {
      const st = ch.int(1, 2);
      return { text: `conv3(${num(ch, out)}, stride = ${st})`, out: { ...s, c: out, h: strided(s.h, st), w: strided(s.w, st) }, sure: true };
    }
    case 2: {
      const k = ch.pick([1, 3, 5, 7]);
      return { text: `conv${k}(${out})`, out: { ...s, c: out }, sure: true };
    }
    default: {
      const k = ch.pick([3, 1, 2, 5]);
      const st = ch.int(1, 3);
      const dil = ch.pick([1, 1, 2]);
      const pad = ch.chance(50) ? Math.floor((dil * (k - 1)) / 2) : ch.int(0, 2);
      const gs = divisors(gcd(s.c, out));
      const g = gs[ch.int(0, gs.length - 1)]!;
      const bias = ch.pick(['', ', bias = true', ', bias = false']);
      const h = windowOut(s.h, k, st, pad, dil);
      const w = windowOut(s.w, k, st, pad, dil);
      return {
        text: `conv(${num(ch, out)}, k = ${k}, stride = ${st}, pad = ${pad}, dilation = ${dil}, groups = ${g}${bias})`,
        out: { ...s, c: out, h, w },
        sure: h >= 1 && w >= 1,
      };
    }
  }
}

function pool(ch: Choices, s: Shape): Piece {
  const op = ch.pick(['maxpool', 'avgpool']);
  const form = ch.int(0, 3);
  const k = form === 0 ? 2 : form === 1 ? 3 : ch.int(1, 3);
  const st = form === 0 ? 2 : form === 1 ? 2 : ch.int(1, 2);
  const pad = form === 1 ? 1 : form === 3 ? ch.int(0, Math.floor(k / 2)) : 0;
  const ceil = form >= 2 && ch.chance(50);
  const counted = op === 'avgpool' && form >= 2 ? ch.pick(['', ', count_include_pad = false', ', count_include_pad = true']) : '';
  const text =
    form === 0 ? `${op}2` : form === 1 ? `${op}3(stride = 2, pad = 1)` : `${op}(k = ${k}, stride = ${st}, pad = ${pad}${ceil ? ', ceil = true' : ''}${counted})`;
  const h = windowOut(s.h, k, st, pad, 1, ceil);
  const w = windowOut(s.w, k, st, pad, 1, ceil);
  return { text, out: { ...s, h, w }, sure: h >= 1 && w >= 1 };
}

/** A layer that keeps the shape, at any rank. */
function same(ch: Choices, s: Shape): Piece {
  const text = ch.pick([
    'relu', 'bn', 'bn(eps = 1e-3)', 'sigmoid', 'identity', 'dropout', 'dropout(0.25)', 'dropout(p = 0.1)', 'relu()',
    'relu6', 'hardswish', 'hardsigmoid', 'silu', 'gelu', 'stochastic_depth(0.1)', 'stochastic_depth(p = 0.2, batch = true)',
    `relu if ${condition(ch, true)} else silu`, `gelu if ${condition(ch, false)}`, ...(s.rank === 4 ? ['layer_scale', 'layer_scale(0.5)', 'layernorm2d(eps = 1e-6)'] : ['layernorm']),
  ]);
  return { text, out: s, sure: true, ...(text.startsWith('gelu if') ? { absent: true } : {}) };
}

/** ConvNeXt's pointwise part: channels last, a layer norm, two linear layers around GELU, channels first again. */
function channelsLast(ch: Choices, s: Shape): Piece {
  const wide = channels(ch) * 2;
  const out = channels(ch);
  return { text: `<permute(0, 2, 3, 1); layernorm(eps = 1e-6); linear(${num(ch, wide)}); gelu; linear(${out}); permute(0, 3, 1, 2)>`, out: { ...s, c: out }, sure: true };
}

/** A squeeze-and-excitation gate on a path's output: `A * <gap; squeeze; act; excite; scale>`, or on the input itself. */
export function gate(ch: Choices, s: Shape): Piece {
  const main = ch.chance(50) ? { text: 'identity', out: s, sure: true } : path(ch, s, 2);
  const c = main.out.c;
  const sq = Math.max(1, c >> 2);
  const text = `${main.text} * <gap; conv1(${sq}, bias = true); ${ch.pick(['relu', 'silu'])}; conv1(${c}, bias = true); ${ch.pick(['sigmoid', 'hardsigmoid'])}>`;
  return { text, out: main.out, sure: main.sure && main.out.h >= 1 && main.out.w >= 1 };
}

/** One built-in layer that fits a rank-4 or rank-2 input. */
export function simpleLayer(ch: Choices, s: Shape): Piece {
  if (s.rank === 2) {
    if (ch.chance(45)) {
      const out = channels(ch);
      return { text: ch.chance(30) ? `fc(${num(ch, out)}, bias = false)` : `fc(${num(ch, out)})`, out: flat(out), sure: true };
    }
    return same(ch, s);
  }
  switch (ch.int(0, 11)) {
    case 0:
    case 1:
    case 2:
      return conv(ch, s);
    case 3:
      return pool(ch, s);
    case 10:
      return channelsLast(ch, s);
    case 11:
      return gate(ch, s);
    case 4:
      return { text: 'gap', out: { ...s, h: 1, w: 1 }, sure: true };
    case 5:
      return ch.chance(50) ? { text: 'flatten', out: flat(s.c * s.h * s.w), sure: true } : { text: 'gap; flatten', out: flat(s.c), sure: true };
    default:
      return same(ch, s);
  }
}

const sep = (ch: Choices): string => ch.pick(['; ', '; ', ' ', ';\n    ', ' ; ']);

/** A path `<a; b; c>` of 1-3 rank-4 layers (no flatten, so that it stays rank 4). */
export function path(ch: Choices, s: Shape, maxItems = 3): Piece {
  const items: string[] = [];
  let cur = s;
  let sure = true;
  const n = ch.int(1, maxItems);
  for (let i = 0; i < n; i++) {
    const p = ch.chance(60) ? conv(ch, cur) : ch.chance(50) ? same(ch, cur) : pool(ch, cur);
    items.push(p.text);
    cur = p.out;
    sure &&= p.sure;
  }
  const s2 = sep(ch);
  return { text: `<${items.join(s2)}${ch.chance(10) ? s2.trim() : ''}>`, out: cur, sure };
}

/** A residual `MAIN + OTHER [+ OTHER]` on a rank-4 input, with a second operand that fits where the generator can make one. */
export function residual(ch: Choices, s: Shape, label: () => string): Piece {
  const main = path(ch, s);
  const m = main.out;
  const stride = shortcutStride(s, m);
  const others: string[] = [];
  let sure = main.sure && m.h >= 1 && m.w >= 1;
  if (sameShape(s, m) && ch.chance(60)) {
    others.push(ch.pick(['identity', 'shortcut', 'shortcut(A)', 'shortcut(B)', 'shortcut(C)', '<relu>', `${label()}: <bn>`, `identity if ${condition(ch, ch.chance(50))}`]));
    if (ch.chance(20)) others.push(ch.pick(['identity', '<bn; relu>']));
  } else if (stride !== undefined) {
    const grows = m.c >= s.c;
    const options = [
      `<conv1(${m.c}, stride = ${stride}); bn>`,
      `${label()}: <conv1(${m.c}, stride = ${stride}); bn>`,
      'shortcut(B)',
      'shortcut(C)',
      ...(grows ? ['shortcut', 'shortcut(A)', 'shortcut(policy = A)'] : []),
    ];
    others.push(ch.pick(options));
  } else {
    others.push(ch.pick(['shortcut', 'identity', 'shortcut(B)']));
    sure = false;
  }
  return { text: [main.text, ...others].join(' + '), out: m, sure };
}
