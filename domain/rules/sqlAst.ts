// The syntax tree of one AWS IoT SQL statement (SQL version 2016-03-23).
import type { Json } from './sqlValue.ts';

/** Where a token starts in the statement: 1-based, as an editor counts. */
export type Position = { readonly line: number; readonly column: number };

export type BinaryOperator = 'AND' | 'OR' | '=' | '<>' | '<' | '<=' | '>' | '>=' | '+' | '-' | '*' | '/' | '%';

export type CastType = 'String' | 'Int' | 'Decimal' | 'Boolean';

export type Expr =
  | { readonly kind: 'literal'; readonly value: Json }
  /** A key of the row: the payload at the top level, an element in a nested query. */
  | { readonly kind: 'field'; readonly name: string }
  /** `*` as an argument (encode(*, 'base64'), aws_lambda(arn, *)): the whole payload, binary or not. */
  | { readonly kind: 'payload' }
  /** A variable of the SET clause, @name. */
  | { readonly kind: 'variable'; readonly name: string }
  | { readonly kind: 'member'; readonly object: Expr; readonly name: string }
  | { readonly kind: 'index'; readonly object: Expr; readonly index: Expr }
  | { readonly kind: 'call'; readonly name: string; readonly args: readonly Expr[]; readonly at: Position }
  | { readonly kind: 'cast'; readonly value: Expr; readonly type: CastType }
  | { readonly kind: 'not'; readonly operand: Expr }
  | { readonly kind: 'negate'; readonly operand: Expr }
  | { readonly kind: 'binary'; readonly op: BinaryOperator; readonly left: Expr; readonly right: Expr }
  | {
      readonly kind: 'case';
      readonly subject: Expr;
      readonly whens: readonly { readonly when: Expr; readonly then: Expr }[];
      readonly otherwise?: Expr;
    }
  | { readonly kind: 'object'; readonly entries: readonly (readonly [string, Expr])[] }
  | { readonly kind: 'array'; readonly items: readonly Expr[] }
  | { readonly kind: 'query'; readonly query: Query };

export type SelectItem =
  | { readonly kind: 'all' }
  /** `key` is the output path: `AS a.b` nests the value under a then b. */
  | { readonly kind: 'expr'; readonly expr: Expr; readonly key: readonly string[] };

export type Select =
  { readonly kind: 'items'; readonly items: readonly SelectItem[] } | { readonly kind: 'value'; readonly expr: Expr };

/** A nested object query: FROM an expression of the outer row, one output per array element. */
export type Query = { readonly select: Select; readonly from: Expr; readonly where?: Expr };

export type Statement = {
  /** SET @name = expr, …: evaluated in order before WHERE; each may use the ones before it. */
  readonly set?: readonly (readonly [string, Expr])[];
  readonly select: Select;
  /** The topic filter the rule subscribes to. */
  readonly from: string;
  readonly where?: Expr;
};
