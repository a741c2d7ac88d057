/**
 * A generator of syntactically valid resdsl files that need not mean anything: every rule of
 * grammar/resdsl.ebnf (sums and products of labelled, conditional operands, repetition with `as`
 * and `with first`, quoted and template labels, comparisons, and/or/not, `//`, real numbers, calls
 * in expressions, trailing commas, optional `;`), with random spacing, line breaks, blank lines and
 * comments between the tokens. The compiler's generator (test/fuzz/gen) makes meaningful programs;
 * this one reaches the corners of the syntax that the formatter has to lay out.
 */
import fc from 'fast-check';
import { Choices } from '../fuzz/gen/choices.js';

const names = ['a', 'b', 'blk', 'conv3', 'relu', 'bn', 'x0', 'n', 'stride', 'out', 'width', 'make_divisible', 'identity', 'shortcut', 'layer_1'];
const labels = ['layer1', 'stem', 'features', '"block"', '"block{i}-{n}"', '"s{n}"', 'f'];

class Gen {
  private depth = 0;
  constructor(private readonly ch: Choices) {}

  private nested<T>(f: () => T, leaf: () => T): T {
    if (this.depth >= 4) return leaf();
    this.depth++;
    try {
      return f();
    } finally {
      this.depth--;
    }
  }

  private name = () => this.ch.pick(names);
  private some = (max: number) => this.ch.int(0, this.depth >= 3 ? Math.min(1, max) : max);

  file(): string[] {
    const out: string[] = [];
    const n = this.ch.int(1, 4);
    for (let i = 0; i < n; i++) out.push(...this.item());
    return out;
  }

  private item(): string[] {
    switch (this.ch.int(0, 5)) {
      case 0:
        return ['use', this.ch.pick(['"./x.resdsl"', 'std/resnet', '"../lib/blocks.resdsl"'])];
      case 1:
      case 2:
        return ['block', this.name(), ...this.paramList(), ...this.blockBody()];
      default:
        return this.network();
    }
  }

  private blockBody(): string[] {
    switch (this.ch.int(0, 2)) {
      case 0:
        return this.body();
      case 1:
        return ['=', ...this.layer(false)];
      default:
        return this.layer(true);
    }
  }

  private network(): string[] {
    const params = this.ch.chance(50) ? this.paramList() : [];
    if (this.ch.chance(40)) return ['network', this.name(), ...params, '=', ...this.call(), ...(this.ch.chance(60) ? this.body() : [])];
    return ['network', this.name(), ...params, ...this.body()];
  }

  private body(): string[] {
    const out = ['{'];
    const n = this.ch.int(0, 5);
    for (let i = 0; i < n; i++) {
      const st = this.stmt();
      out.push(...st);
      // `expect params == x <a>` compares x with a: a `;` ends the expression before a path
      if (this.ch.chance(30) || (st[0] === 'expect' && st[1] !== 'output')) out.push(';');
    }
    out.push('}');
    return out;
  }

  private list(item: () => string[]): string[] {
    const out = ['('];
    const n = this.some(4);
    for (let i = 0; i < n; i++) {
      if (i > 0) out.push(',');
      out.push(...item());
    }
    if (n > 0 && this.ch.chance(10)) out.push(',');
    out.push(')');
    return out;
  }

  private paramList(): string[] {
    return this.list(() => (this.ch.chance(50) ? [this.name(), '=', ...this.expr(true)] : [this.name()]));
  }

  private argList(): string[] {
    return this.list(() => (this.ch.chance(40) ? [this.name(), '=', ...this.expr(true)] : this.expr(true)));
  }

  private stmt(): string[] {
    switch (this.ch.int(0, 7)) {
      case 0:
        return ['input', this.name(), ':', ...this.type()];
      case 1:
        return ['output', this.name(), ...(this.ch.chance(40) ? ['=', this.name()] : [])];
      case 2:
        return this.ch.chance(50)
          ? ['expect', this.ch.pick(['params', 'macs']), '==', ...this.expr(true)]
          : ['expect', 'output', ...(this.ch.chance(40) ? [this.name()] : []), '==', ...this.type()];
      default:
        return this.layer(false);
    }
  }

  private type(): string[] {
    const out = ['f32', '['];
    const n = this.ch.int(0, 4);
    for (let i = 0; i < n; i++) {
      if (i > 0) out.push(',');
      out.push(...(i === 0 && this.ch.chance(60) ? ['N'] : this.expr(true)));
    }
    out.push(']');
    return out;
  }

  /** A statement: a sum of products. `head` is a block's body written after its parameters (it cannot start with `{` or `=`). */
  layer(_head: boolean): string[] {
    const n = this.some(2);
    const out = this.product();
    for (let i = 0; i < n; i++) out.push('+', ...this.product());
    return out;
  }

  private product(): string[] {
    const n = this.ch.chance(80) ? 0 : this.some(2);
    const out = this.operand();
    for (let i = 0; i < n; i++) out.push('*', ...this.operand());
    return out;
  }

  private operand(): string[] {
    const out: string[] = [];
    if (this.ch.chance(25)) out.push(this.ch.pick(labels), ':');
    out.push(...this.repeat());
    if (this.ch.chance(15)) {
      const otherwise = this.ch.chance(40);
      out.push('if', ...this.condition());
      if (otherwise) out.push('else', ...this.nested(() => this.operand(), () => [this.name()]));
    }
    return out;
  }

  private repeat(): string[] {
    const out = this.primary();
    if (!this.ch.chance(20)) return out;
    out.push('x', ...this.ch.pick([['3'], [this.name()], ['(', ...this.expr(true), ')']]));
    if (this.ch.chance(30)) out.push('as', 'i');
    if (this.ch.chance(30)) out.push('with', 'first', ...this.argList());
    return out;
  }

  private primary(): string[] {
    return this.ch.chance(25) ? this.nested(() => this.path(), () => this.call()) : this.call();
  }

  private path(): string[] {
    const out = ['<'];
    const n = this.some(4);
    for (let i = 0; i < n; i++) {
      out.push(...this.layer(false));
      if (this.ch.chance(60) || (i + 1 < n && this.ch.chance(50))) out.push(';');
    }
    out.push('>');
    return out;
  }

  private call(): string[] {
    return [this.name(), ...(this.ch.chance(50) ? this.nested(() => this.argList(), () => []) : [])];
  }

  /** An operand's condition: `+` and `*` join layers after it, and `<` and `>` compare only in parentheses there. */
  private condition(): string[] {
    const e = this.expr(false);
    return e.some((t) => t === '<' || t === '>' || t === '+' || t === '*') ? ['(', ...e, ')'] : e;
  }

  /** An expression; `angles` allows `<` and `>` comparisons. */
  expr(angles: boolean): string[] {
    return this.nested(
      () => {
        switch (this.ch.int(0, 9)) {
          case 0:
            return [...this.atom(), this.ch.pick(['+', '-', '*', '/', '//', '%']), ...this.atom()];
          case 1:
            return [...this.atom(), this.ch.pick(['==', '!=', '<=', '>=', ...(angles ? ['<', '>'] : [])]), ...this.atom()];
          case 2:
            return [...this.atom(), this.ch.pick(['and', 'or']), 'not', ...this.atom()];
          case 3:
            return ['-', ...this.atom()];
          case 4:
            return ['(', ...this.expr(true), ')', '*', ...this.atom()];
          default:
            return this.atom();
        }
      },
      () => this.atom(),
    );
  }

  private atom(): string[] {
    switch (this.ch.int(0, 7)) {
      case 0:
        return [this.ch.pick(['0', '64', '1_000', '25_557_032'])];
      case 1:
        return [this.ch.pick(['0.5', '1e-5', '1.0', '2.5e3'])];
      case 2:
        return [this.ch.pick(['true', 'false'])];
      case 3:
        return this.nested(() => [this.name(), ...this.argList()], () => [this.name()]);
      case 4:
        return this.nested(() => ['(', ...this.expr(true), ')'], () => ['1']);
      default:
        return [this.name()];
    }
  }
}

/** What separates two tokens: spaces, line breaks, blank lines, comments. */
function gap(ch: Choices, k: number): string {
  switch (ch.int(0, 19)) {
    case 0:
    case 1:
      return '\n';
    case 2:
      return '\n\n';
    case 3:
      return `  # note ${k}\n`;
    case 4:
      return `\n# own line ${k}\n`;
    case 5:
      return `\n\n  # after a blank ${k}\n\n`;
    case 6:
      return '\t';
    default:
      return ' ';
  }
}

export function syntaxProgram(ch: Choices): string {
  const tokens = new Gen(ch).file();
  let text = ch.chance(20) ? '# a file comment\n\n' : '';
  tokens.forEach((t, i) => {
    text += t;
    if (i + 1 < tokens.length) text += gap(ch, i);
  });
  return text + (ch.chance(30) ? '  # the end\n' : '\n');
}

export const syntaxArb: fc.Arbitrary<string> = fc
  .array(fc.nat({ max: 9999 }), { maxLength: 400, size: 'max' })
  .map((xs) => syntaxProgram(new Choices(xs.map((x) => (x === 0 ? 0 : 1 + ((Math.imul(x, 0x9e3779b1) >>> 0) % 9973))))));
