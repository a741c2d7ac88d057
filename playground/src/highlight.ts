/**
 * resdsl highlighting for CodeMirror, read from the project's own editor grammar,
 * grammar/resdsl.tmLanguage.json (generated from the lexer and the op definitions by
 * scripts/generate.ts): a new layer or keyword is highlighted here without a change. This is an
 * interpreter of the part of TextMate the grammar uses: `match` rules with `captures`,
 * `begin`/`end` regions with inner patterns, `patterns` lists and `include`s of the repository.
 * At each position the first rule that matches there wins (the grammar lists its rules so that
 * this is TextMate's answer too); a character no rule matches is left plain.
 */
import { HighlightStyle, StreamLanguage, type StringStream } from '@codemirror/language';
import { tags, type Tag } from '@lezer/highlight';
import grammar from '../../grammar/resdsl.tmLanguage.json';

interface TmRule {
  name?: string;
  match?: string;
  begin?: string;
  end?: string;
  captures?: Record<string, { name?: string }>;
  patterns?: TmRule[];
  include?: string;
}

interface MatchRule {
  re: RegExp;
  style: string | null;
  /** Styles of numbered capture groups. */
  captures: Map<number, string | null>;
}

interface Region {
  begin: RegExp;
  end: RegExp;
  style: string | null;
  inner: MatchRule[];
  /** The end pattern matches at a line's end (`$`): the region never spans lines. */
  endsAtEol: boolean;
}

type Rule = { match: MatchRule } | { region: Region };

/** TextMate scope -> our token name (the longest prefix wins), each name a highlight tag below. */
const scopeTokens: readonly [string, string][] = [
  ['comment', 'comment'],
  ['string', 'string'],
  ['constant.character.escape', 'escape'],
  ['constant.numeric', 'number'],
  ['constant.language', 'bool'],
  ['keyword.operator.logical', 'operatorKeyword'],
  ['keyword.operator', 'operator'],
  ['keyword.control', 'controlKeyword'],
  ['keyword.other.declaration', 'definitionKeyword'],
  ['keyword', 'keyword'],
  ['storage.type', 'typeName'],
  ['support.function', 'builtin'],
  ['entity.name.function', 'definition'],
  ['entity.name.tag', 'labelName'],
  ['punctuation', 'punctuation'],
];

const tokenTable: Record<string, Tag> = {
  comment: tags.lineComment,
  string: tags.string,
  escape: tags.escape,
  number: tags.number,
  bool: tags.bool,
  operatorKeyword: tags.operatorKeyword,
  operator: tags.operator,
  controlKeyword: tags.controlKeyword,
  definitionKeyword: tags.definitionKeyword,
  keyword: tags.keyword,
  typeName: tags.typeName,
  builtin: tags.standard(tags.function(tags.variableName)),
  definition: tags.definition(tags.variableName),
  labelName: tags.labelName,
  punctuation: tags.punctuation,
};

function tokenOf(scope: string | undefined): string | null {
  if (scope === undefined) return null;
  let best: [string, string] | undefined;
  for (const e of scopeTokens) if ((scope === e[0] || scope.startsWith(`${e[0]}.`)) && (!best || e[0].length > best[0].length)) best = e;
  return best ? best[1] : null;
}

/** Sticky, with group indices (`d`) for captures. */
const sticky = (src: string) => new RegExp(src, 'yd');

function compile(rules: readonly TmRule[], repo: Readonly<Record<string, TmRule>>, seen: Set<string>): Rule[] {
  const out: Rule[] = [];
  for (const r of rules) {
    if (r.include !== undefined) {
      const key = r.include.replace(/^#/, '');
      const target = Object.hasOwn(repo, key) ? repo[key] : undefined;
      if (target && !seen.has(key)) out.push(...compile([target], repo, new Set([...seen, key])));
    } else if (r.match !== undefined) {
      const captures = new Map(Object.entries(r.captures ?? {}).map(([k, v]) => [Number(k), tokenOf(v.name)]));
      out.push({ match: { re: sticky(r.match), style: tokenOf(r.name), captures } });
    } else if (r.begin !== undefined && r.end !== undefined) {
      const inner = compile(r.patterns ?? [], repo, seen).flatMap((x) => ('match' in x ? [x.match] : []));
      out.push({ region: { begin: sticky(r.begin), end: sticky(r.end), style: tokenOf(r.name), inner, endsAtEol: new RegExp(r.end).test('') } });
    } else if (r.patterns) {
      out.push(...compile(r.patterns, repo, seen));
    }
  }
  return out;
}

const repository = grammar.repository as unknown as Record<string, TmRule>;
const rules = compile(grammar.patterns as TmRule[], repository, new Set());
const regions = rules.flatMap((r) => ('region' in r ? [r.region] : []));

/** The pieces of one match still to be returned (a rule with captures styles parts differently). */
interface Piece {
  end: number;
  style: string | null;
}

interface State {
  /** Index in `regions` of the region the line is in. */
  region: number;
  pending: Piece[];
}

/** Tries `m` at the stream's position; returns the match's pieces (at least one, each non-empty). */
function tryMatch(m: MatchRule, stream: StringStream): Piece[] | undefined {
  m.re.lastIndex = stream.pos;
  const found = m.re.exec(stream.string);
  if (!found || found[0].length === 0) return undefined;
  const end = stream.pos + found[0].length;
  const pieces: Piece[] = [];
  let at = stream.pos;
  const groups = [...m.captures].flatMap(([i, style]) => (found.indices?.[i] ? [{ span: found.indices[i]!, style }] : [])).sort((a, b) => a.span[0] - b.span[0]);
  for (const g of groups) {
    if (g.span[0] < at || g.span[1] <= g.span[0]) continue;
    if (g.span[0] > at) pieces.push({ end: g.span[0], style: m.style });
    pieces.push({ end: g.span[1], style: g.style });
    at = g.span[1];
  }
  if (at < end) pieces.push({ end, style: m.style });
  return pieces;
}

function take(stream: StringStream, state: State, pieces: Piece[]): string | null {
  const [first, ...rest] = pieces;
  stream.pos = first!.end;
  state.pending = rest;
  return first!.style;
}

function regionToken(stream: StringStream, state: State, r: Region): string | null {
  r.end.lastIndex = stream.pos;
  const end = r.end.exec(stream.string);
  if (end && end[0].length > 0) {
    stream.pos += end[0].length;
    state.region = -1;
    return r.style;
  }
  for (const m of r.inner) {
    const pieces = tryMatch(m, stream);
    if (pieces) return take(stream, state, pieces);
  }
  stream.next();
  return r.style;
}

export const resdslLanguage = StreamLanguage.define<State>({
  name: 'resdsl',
  startState: () => ({ region: -1, pending: [] }),
  copyState: (s) => ({ region: s.region, pending: [...s.pending] }),
  token(stream, state) {
    if (stream.sol()) {
      state.pending = [];
      if (state.region >= 0 && regions[state.region]!.endsAtEol) state.region = -1;
    }
    const next = state.pending.shift();
    if (next) {
      stream.pos = next.end;
      return next.style;
    }
    if (state.region >= 0) return regionToken(stream, state, regions[state.region]!);
    for (const rule of rules) {
      if ('match' in rule) {
        const pieces = tryMatch(rule.match, stream);
        if (pieces) return take(stream, state, pieces);
      } else {
        rule.region.begin.lastIndex = stream.pos;
        const b = rule.region.begin.exec(stream.string);
        if (b && b[0].length > 0) {
          stream.pos += b[0].length;
          state.region = regions.indexOf(rule.region);
          return rule.region.style;
        }
      }
    }
    stream.next();
    return null;
  },
  tokenTable,
  languageData: { commentTokens: { line: '#' } },
});

/** Colours for the tags above. */
export const resdslHighlight = HighlightStyle.define([
  { tag: tags.lineComment, color: '#6a737d', fontStyle: 'italic' },
  { tag: [tags.string, tags.escape], color: '#0a7d32' },
  { tag: [tags.number, tags.bool], color: '#b15c00' },
  { tag: [tags.keyword, tags.controlKeyword, tags.definitionKeyword, tags.operatorKeyword], color: '#7a1fa2', fontWeight: 'bold' },
  { tag: tags.operator, color: '#7a1fa2' },
  { tag: tags.typeName, color: '#005cc5' },
  { tag: tags.standard(tags.function(tags.variableName)), color: '#005cc5' },
  { tag: tags.definition(tags.variableName), color: '#b31d28', fontWeight: 'bold' },
  { tag: tags.labelName, color: '#795e26' },
  { tag: tags.punctuation, color: '#555' },
]);
