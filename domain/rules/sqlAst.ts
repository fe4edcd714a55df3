// The syntax tree of one IoT SQL statement of the supported subset.
import type { Json } from './sqlValue.ts';

export type BinaryOperator = 'AND' | 'OR' | '=' | '<>' | '<' | '<=' | '>' | '>=' | '+' | '-' | '*' | '/' | '%';

export type Expr =
  | { readonly kind: 'literal'; readonly value: Json }
  | { readonly kind: 'field'; readonly path: readonly string[] }
  | { readonly kind: 'call'; readonly name: string; readonly args: readonly Expr[] }
  | { readonly kind: 'not'; readonly operand: Expr }
  | { readonly kind: 'negate'; readonly operand: Expr }
  | { readonly kind: 'binary'; readonly op: BinaryOperator; readonly left: Expr; readonly right: Expr };

export type SelectItem =
  | { readonly kind: 'all' }
  | { readonly kind: 'expr'; readonly expr: Expr; readonly key: string };

export type Statement = {
  readonly select: readonly SelectItem[];
  readonly from: string;
  readonly where?: Expr;
};
