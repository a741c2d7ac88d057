/**
 * The abstract syntax tree of a `.resdsl` file: a tagged union keyed on `kind`, a span on every
 * node, no parent pointers. Built from chevrotain's CST by cst-to-ast.ts. After a file with syntax
 * errors, the tree may be partial (recovered); the compiler only elaborates error-free trees.
 *
 * Concrete syntax: see grammar/resdsl.ebnf.
 */
import type { Span } from '../diagnostics/span.js';

export interface Ident {
  kind: 'Ident';
  name: string;
  span: Span;
}

export interface FileAst {
  kind: 'File';
  span: Span;
  items: Item[];
}

export type Item = UseDecl | BlockDecl | NetworkDecl;

/** `use "./blocks.resdsl"` (isStd false, path as written) or `use std/resnet` (isStd true, path "resnet"). */
export interface UseDecl {
  kind: 'Use';
  span: Span;
  path: string;
  isStd: boolean;
  pathSpan: Span;
}

/** `name` or `name = default` in a block's or network's parameter list. */
export interface Param {
  kind: 'Param';
  span: Span;
  name: Ident;
  default?: Expr;
}

/**
 * `block NAME(PARAMS) BODY`. The body is either `{ stmts }`, `= layer`, or a layer written right
 * after the parameter list (the design card's form: `block res(in,out)<conv3;bn> + shortcut`).
 * All three are stored as a list of statements.
 */
export interface BlockDecl {
  kind: 'Block';
  span: Span;
  name: Ident;
  params: Param[];
  body: Stmt[];
}

/**
 * `network NAME(PARAMS)? { stmts }`, or the derived form `network NAME = CALL { stmts }?` which
 * instantiates another (generic) network; the derived form's body may hold only `input` (to
 * override the input type) and `expect` statements.
 */
export interface NetworkDecl {
  kind: 'Network';
  span: Span;
  name: Ident;
  params: Param[];
  base?: CallExpr;
  body: Stmt[];
}

export type Stmt = LayerStmt | InputStmt | OutputStmt | ExpectStmt;

/** `input image: f32[N, 3, 224, 224]` */
export interface InputStmt {
  kind: 'Input';
  span: Span;
  name: Ident;
  type: TypeExpr;
}

/** `output logits` names the current tensor; `output feats = layer4` names a labelled layer's output. */
export interface OutputStmt {
  kind: 'Output';
  span: Span;
  name: Ident;
  source?: Ident;
}

/** `expect params == 1_000`, `expect macs == 2_000`, `expect output == f32[N, 10]`, `expect output logits == f32[N, 10]`. */
export type ExpectStmt =
  | { kind: 'Expect'; span: Span; what: 'params' | 'macs'; whatSpan: Span; value: Expr }
  | { kind: 'Expect'; span: Span; what: 'output'; whatSpan: Span; output?: Ident; type: TypeExpr };

/**
 * A label: a name (`layer1:`), or a quoted template whose `{name}` holes are filled with values
 * at elaboration (`"block{stage}-{i}":`, for torchvision's hyphenated module names).
 */
export type Label = Ident | TemplateLabel;

export interface TemplateLabel {
  kind: 'Template';
  span: Span;
  /** Literal text and the names of the holes, in order. */
  parts: (string | Ident)[];
}

/**
 * One item of a sequence, or one operand of a combination: an optional label, a term, and an
 * optional condition. `X if c` is present only when c holds; `X if c else Y` is Y otherwise.
 */
export interface LayerStmt {
  kind: 'Layer';
  span: Span;
  label?: Label;
  term: Term;
  when?: Condition;
}

export interface Condition {
  span: Span;
  cond: Expr;
  otherwise?: LayerStmt;
}

export type Term = Combination | Repeat | Path | CallTerm;

/**
 * `A + B + ...` (a residual sum) or `A * B * ...` (a product, as a squeeze-and-excitation gate):
 * every operand reads the same input, their results are added or multiplied (broadcasting a
 * [N, C, 1, 1] gate over [N, C, H, W]). `*` binds tighter than `+`.
 */
export interface Combination {
  kind: 'Combination';
  span: Span;
  op: '+' | '*';
  operands: LayerStmt[];
}

/** `<a; b; c>`: layers applied in order. Items may be separated by `;` or by nothing (newlines). */
export interface Path {
  kind: 'Path';
  span: Span;
  items: LayerStmt[];
}

/** A layer or block use: `relu`, `conv3(64, stride = 2)`, `shortcut(A)`, `blk(128)` where blk is a block parameter. `args` is null when written without parentheses. */
export interface CallTerm {
  kind: 'Call';
  span: Span;
  callee: Ident;
  args: Arg[] | null;
}

/**
 * `TERM x COUNT`, optionally `as i` (i is 0, 1, ... in each item) and `with first(ARGS)` (the
 * first repetition gets ARGS added to, or overriding, its arguments).
 */
export interface Repeat {
  kind: 'Repeat';
  span: Span;
  body: Path | CallTerm;
  count: Expr;
  index?: Ident;
  first?: { span: Span; args: Arg[] };
}

/** `name = value` or `value`. */
export interface Arg {
  kind: 'Arg';
  span: Span;
  name?: Ident;
  value: Expr;
}

export type Expr = IntLit | FloatLit | BoolLit | NameRef | Unary | Binary | Compare | Logical | CallExpr;

/** Integer literal; `_` separators removed. `exact` is false when the value exceeds 2^53 - 1. */
export interface IntLit {
  kind: 'Int';
  span: Span;
  value: number;
  exact: boolean;
}

export interface FloatLit {
  kind: 'Float';
  span: Span;
  value: number;
}

export interface BoolLit {
  kind: 'Bool';
  span: Span;
  value: boolean;
}

export interface NameRef {
  kind: 'Name';
  span: Span;
  name: string;
}

export interface Unary {
  kind: 'Unary';
  span: Span;
  op: '-' | 'not';
  operand: Expr;
}

/** Arithmetic: `/` is true division, `//` floor division, `%` the remainder of floor division. */
export interface Binary {
  kind: 'Binary';
  span: Span;
  op: '+' | '-' | '*' | '/' | '//' | '%';
  left: Expr;
  right: Expr;
}

export interface Compare {
  kind: 'Compare';
  span: Span;
  op: '==' | '!=' | '<' | '<=' | '>' | '>=';
  left: Expr;
  right: Expr;
}

export interface Logical {
  kind: 'Logical';
  span: Span;
  op: 'and' | 'or';
  left: Expr;
  right: Expr;
}

/**
 * A name applied to arguments inside an expression: a built-in function (`make_divisible(x, 8)`),
 * or a block or layer value with those arguments bound (`bottleneck(groups = 32)`).
 */
export interface CallExpr {
  kind: 'CallExpr';
  span: Span;
  callee: Ident;
  args: Arg[];
}

/** `f32[N, 3, 224, 224]`; each dimension is an expression, and the name `N` (when not bound to a parameter) is the symbolic batch size. */
export interface TypeExpr {
  kind: 'Type';
  span: Span;
  dtype: Ident;
  dims: Expr[];
}
