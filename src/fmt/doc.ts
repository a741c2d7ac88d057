/**
 * A small document algebra and its printer, after Wadler's "prettier printer" as prettier (the
 * JavaScript formatter) implements it: text, line breaks that a group prints as a space (or
 * nothing) when the whole group fits on the line and as a newline otherwise, indentation, fill
 * (as many items on a line as fit), and two kinds of comment: a trailing comment, printed at the
 * end of the line it was on, and an own-line comment, printed on a line of its own.
 *
 * Deterministic and width-driven: the same document always prints the same text.
 */

export type Doc = string | Doc[] | Line | Group | Indent | Align | Fill | IfBreak | Trailing | OwnLine | Hang;

/** A possible line break: a space (or nothing, `soft`) when its group is flat; `hard` always breaks. */
export interface Line {
  readonly kind: 'line';
  readonly soft: boolean;
  readonly hard: boolean;
}

export interface Group {
  readonly kind: 'group';
  readonly contents: Doc;
  /** Set by propagateBreaks for a group holding a hard line or a comment: it cannot be flat. */
  broken: boolean;
}

export interface Indent {
  readonly kind: 'indent';
  readonly contents: Doc;
}

/** Lines inside break to the column where this starts (a parameter list aligned to its parenthesis). */
export interface Align {
  readonly kind: 'align';
  readonly contents: Doc;
}

/** Items and separators alternately: each separator breaks only when the item after it does not fit. */
export interface Fill {
  readonly kind: 'fill';
  readonly parts: readonly Doc[];
}

export interface IfBreak {
  readonly kind: 'ifBreak';
  readonly broken: Doc;
  readonly flat: Doc;
}

/**
 * What follows a header (`block b(...) =`): after a space if it fits there, else on the next line,
 * indented. A body with a forced break (a path written over several lines) stays where it was
 * written (`below` the header or not), since that choice cannot be measured again.
 */
export interface Hang {
  readonly kind: 'hang';
  readonly contents: Doc;
  readonly below: boolean;
  broken: boolean;
}

/** A comment that ends its line: printed after the code before it; what follows starts a new line. */
export interface Trailing {
  readonly kind: 'trailing';
  readonly text: string;
}

/** A comment on a line of its own, at the current indentation. */
export interface OwnLine {
  readonly kind: 'ownLine';
  readonly text: string;
}

export const line: Line = { kind: 'line', soft: false, hard: false };
export const softline: Line = { kind: 'line', soft: true, hard: false };
export const hardline: Line = { kind: 'line', soft: false, hard: true };

export const group = (contents: Doc): Group => ({ kind: 'group', contents, broken: false });
export const indent = (contents: Doc): Indent => ({ kind: 'indent', contents });
export const align = (contents: Doc): Align => ({ kind: 'align', contents });
export const fill = (parts: readonly Doc[]): Fill => ({ kind: 'fill', parts });
export const ifBreak = (broken: Doc, flat: Doc): IfBreak => ({ kind: 'ifBreak', broken, flat });
export const trailing = (text: string): Trailing => ({ kind: 'trailing', text });
export const ownLine = (text: string): OwnLine => ({ kind: 'ownLine', text });
export const hang = (contents: Doc, below: boolean): Hang => ({ kind: 'hang', contents, below, broken: false });

export function join(sep: Doc, docs: readonly Doc[]): Doc[] {
  const out: Doc[] = [];
  docs.forEach((d, i) => {
    if (i > 0) out.push(sep);
    out.push(d);
  });
  return out;
}

/**
 * Marks every group that holds a hard line or a comment as broken (and so every group around it).
 * Returns whether `doc` holds one. Iterative over arrays, recursive over nesting (which the
 * parser's nesting limit bounds).
 */
export function propagateBreaks(doc: Doc): boolean {
  if (typeof doc === 'string') return false;
  const b = breaksIn(doc);
  forced.set(doc, b);
  return b;
}

/** Which documents hold a forced break (set by propagateBreaks). */
const forced = new WeakMap<object, boolean>();

const hasForcedBreak = (doc: Doc): boolean => typeof doc !== 'string' && forced.get(doc) === true;

function breaksIn(doc: Exclude<Doc, string>): boolean {
  if (Array.isArray(doc)) {
    let any = false;
    for (const d of doc) if (propagateBreaks(d)) any = true;
    return any;
  }
  switch (doc.kind) {
    case 'line':
      return doc.hard;
    case 'trailing':
    case 'ownLine':
      return true;
    case 'group': {
      const b = propagateBreaks(doc.contents);
      if (b) doc.broken = true;
      return b;
    }
    case 'indent':
    case 'align':
      return propagateBreaks(doc.contents);
    case 'hang': {
      const b = propagateBreaks(doc.contents);
      if (b) doc.broken = true;
      return b;
    }
    case 'fill': {
      let any = false;
      for (const d of doc.parts) if (propagateBreaks(d)) any = true;
      return any;
    }
    case 'ifBreak': {
      const a = propagateBreaks(doc.broken);
      const b = propagateBreaks(doc.flat);
      return a || b;
    }
  }
}

type Mode = 'flat' | 'break';
interface Cmd {
  ind: number;
  mode: Mode;
  doc: Doc;
}

/**
 * Whether `next` fits in `width` columns, followed by `rest` up to its first line break (rest in
 * its own modes). Hard lines and comments end the measure: what follows starts a new line.
 */
function fits(next: Cmd, rest: readonly Cmd[], width: number, mustBeFlat: boolean): boolean {
  const stack: Cmd[] = [next];
  let restIndex = rest.length;
  while (width >= 0) {
    let cmd = stack.pop();
    if (cmd === undefined) {
      if (mustBeFlat || restIndex === 0) return true;
      cmd = rest[--restIndex]!;
    }
    const { mode, doc } = cmd;
    if (typeof doc === 'string') {
      width -= doc.length;
      continue;
    }
    if (Array.isArray(doc)) {
      for (let i = doc.length - 1; i >= 0; i--) stack.push({ ind: cmd.ind, mode, doc: doc[i]! });
      continue;
    }
    switch (doc.kind) {
      case 'line':
        if (doc.hard || mode === 'break') return true;
        if (!doc.soft) width -= 1;
        break;
      case 'group':
        if (mustBeFlat && doc.broken) return false;
        stack.push({ ind: cmd.ind, mode: doc.broken ? 'break' : mode, doc: doc.contents });
        break;
      case 'indent':
      case 'align':
        stack.push({ ind: cmd.ind, mode, doc: doc.contents });
        break;
      case 'hang':
        stack.push({ ind: cmd.ind, mode, doc: [' ', doc.contents] });
        break;
      case 'fill':
        for (let i = doc.parts.length - 1; i >= 0; i--) stack.push({ ind: cmd.ind, mode, doc: doc.parts[i]! });
        break;
      case 'ifBreak':
        stack.push({ ind: cmd.ind, mode, doc: mode === 'break' ? doc.broken : doc.flat });
        break;
      case 'trailing':
      case 'ownLine':
        return true;
    }
  }
  return false;
}

/** A marker before a trailing comment in the printed text, for the alignment pass (a NUL never survives parsing). */
export const trailingMark = '\0';

/**
 * Prints a document at `width` columns. Trailing comments come out as `code\0# comment`, for
 * alignComments (index.ts) to place; lines carry no trailing spaces.
 */
export function printDoc(doc: Doc, width: number): string {
  propagateBreaks(doc);
  const out: string[] = [];
  let pos = 0; // column of the next character
  let lineHasText = false;
  /** After a comment: the next text or line starts a new line (one, not two). */
  let pending = false;
  /** The line so far is an own-line comment. */
  let commentLine = false;
  /** A line was broken inside flat content (by a comment or a hard line): groups after it are measured again (as prettier does). */
  let remeasure = false;
  let suffix: string[] = [];
  const cmds: Cmd[] = [{ ind: 0, mode: 'break', doc }];

  const newline = (ind: number) => {
    if (suffix.length) {
      out.push(trailingMark, suffix.join('  '));
      suffix = [];
    }
    out.push('\n', ' '.repeat(ind));
    pos = ind;
    lineHasText = false;
    pending = false;
    commentLine = false;
    remeasure = true;
  };

  const commentOnItsLine = (text: string, ind: number) => {
    if (pending || lineHasText || suffix.length) newline(ind);
    out.push(text);
    pos += text.length;
    lineHasText = true;
    pending = true;
    commentLine = true;
  };

  while (cmds.length) {
    const cmd = cmds.pop()!;
    const { ind, mode, doc: d } = cmd;
    if (typeof d === 'string') {
      if (d.length && !(pending && d.trim() === '')) {
        if (pending) newline(ind);
        out.push(d);
        pos += d.length;
        if (d.trim().length) lineHasText = true;
      }
      continue;
    }
    if (Array.isArray(d)) {
      for (let i = d.length - 1; i >= 0; i--) cmds.push({ ind, mode, doc: d[i]! });
      continue;
    }
    switch (d.kind) {
      case 'line':
        if (pending || mode === 'break' || d.hard || suffix.length) newline(ind);
        else if (!d.soft) {
          out.push(' ');
          pos += 1;
        }
        break;
      case 'group':
        if (mode === 'flat' && !d.broken && !remeasure) cmds.push({ ind, mode: 'flat', doc: d.contents });
        else {
          remeasure = false;
          const flat: Cmd = { ind, mode: 'flat', doc: d.contents };
          cmds.push(!d.broken && fits(flat, cmds, width - pos, false) ? flat : { ind, mode: 'break', doc: d.contents });
        }
        break;
      case 'indent':
        cmds.push({ ind: ind + 2, mode, doc: d.contents });
        break;
      case 'align':
        cmds.push({ ind: pos, mode, doc: d.contents });
        break;
      case 'ifBreak':
        cmds.push({ ind, mode, doc: mode === 'break' ? d.broken : d.flat });
        break;
      case 'trailing':
        // nothing may follow a comment on its line: what comes next starts a new one. With no
        // code before it on the line (its token was left out), it is a comment of its own line.
        if (lineHasText && !commentLine && suffix.length === 0) {
          suffix.push(d.text);
          pending = true;
        } else commentOnItsLine(d.text, ind);
        break;
      case 'ownLine':
        commentOnItsLine(d.text, ind);
        break;
      case 'fill':
        fillStep(d.parts, ind, mode);
        break;
      case 'hang': {
        const flat: Cmd = { ind, mode: 'flat', doc: [' ', d.contents] };
        if (!d.broken && fits(flat, [], width - pos, true)) cmds.push(flat);
        else if (d.broken && !d.below) cmds.push({ ind, mode: 'break', doc: [' ', d.contents] });
        else {
          cmds.push({ ind: ind + 2, mode: 'break', doc: d.contents });
          newline(ind + 2);
        }
        break;
      }
    }
  }
  if (suffix.length) out.push(trailingMark, suffix.join('  '));
  return out.join('').replace(/ +$/gm, '').replace(/ +\0/g, '\0');

  /** Prettier's fill: an item flat if it fits; a separator flat if it and the next item fit (the last with what follows). */
  function fillStep(parts: readonly Doc[], ind: number, mode: Mode): void {
    if (parts.length === 0) return;
    const [content, sep, next] = parts;
    // an item that fits is printed flat; one with a forced break (a path written over lines) keeps
    // its breaks, and what it holds is measured as on lines of its own
    const contentFlat: Cmd = { ind, mode: hasForcedBreak(content!) ? 'break' : 'flat', doc: content! };
    const contentFits = fits({ ind, mode: 'flat', doc: content! }, [], width - pos, true);
    if (parts.length === 1) {
      cmds.push(contentFits ? contentFlat : { ind, mode: 'break', doc: content! });
      return;
    }
    const rest: Fill = fill(parts.slice(2));
    if (parts.length === 2) {
      cmds.push({ ind, mode: contentFits ? 'flat' : 'break', doc: sep! }, contentFits ? contentFlat : { ind, mode: 'break', doc: content! });
      return;
    }
    // the last item is measured with what follows the fill up to its next break (`) x 3 with first(...)>`)
    const last = parts.length === 3;
    const pairFits = fits({ ind, mode: 'flat', doc: [content!, sep!, next!] }, last ? cmds : [], width - pos, !last);
    cmds.push(
      { ind, mode, doc: rest },
      { ind, mode: pairFits ? 'flat' : 'break', doc: sep! },
      contentFits ? contentFlat : { ind, mode: 'break', doc: content! },
    );
  }
}
