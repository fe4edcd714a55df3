// Substitution templates of rule actions, "${expression}" inside a string
// (https://docs.aws.amazon.com/iot/latest/developerguide/iot-substitution-templates.html): each expression
// is evaluated on the original payload, apart from the SELECT, so it cannot see the SELECT's aliases.
import * as E from 'fp-ts/lib/Either.js';
import type { Expr } from './sqlAst.ts';
import { RuleFailure, type MessageContext } from './evaluationContext.ts';
import { evaluate, payloadValue, type Variables } from './sqlEvaluator.ts';
import { parseExpression } from './sqlParser.ts';
import { toSqlString, Undefined } from './sqlValue.ts';

export type Template = readonly (string | Expr)[];

/**
 * The template's literal text and expressions; an error names the expression and what is wrong in it.
 * `variables` are the names (without @) the rule's SET clause defines.
 */
export const compileTemplate = (template: string, variables: readonly string[] = []): E.Either<string, Template> => {
  const parts: (string | Expr)[] = [];
  let i = 0;
  while (i < template.length) {
    const start = template.indexOf('${', i);
    if (start < 0) {
      parts.push(template.slice(i));
      break;
    }
    if (start > i) parts.push(template.slice(i, start));
    // The expression ends at the brace that balances ${ (object literals may hold braces; quotes may too).
    let depth = 1;
    let quote: string | undefined;
    let end = start + 2;
    for (; end < template.length && depth > 0; end += 1) {
      const ch = template[end];
      if (quote !== undefined) {
        if (ch === quote) quote = undefined;
        continue;
      }
      if (ch === "'" || ch === '"') quote = ch;
      else if (ch === '{') depth += 1;
      else if (ch === '}') depth -= 1;
    }
    if (depth > 0)
      return E.left(
        `substitution template ${JSON.stringify(template)}: the \${ at character ${start + 1} is not closed: add }`,
      );
    const source = template.slice(start + 2, end - 1);
    const expr = parseExpression(source, variables);
    if (E.isLeft(expr))
      return E.left(
        `substitution template ${JSON.stringify(template)}, expression ${JSON.stringify(source)}: ${expr.left}`,
      );
    parts.push(expr.right);
    i = end;
  }
  return E.right(parts);
};

/**
 * The template filled in for one message; an Undefined expression gives the empty string, as it serialises.
 * `variables` are the rule's SET variables (ruleVariables in topicRule.ts), which templates may use.
 */
export const renderTemplate = (
  template: Template,
  context: MessageContext,
  variables: Variables = new Map(),
): E.Either<string, string> => {
  try {
    return E.right(
      template
        .map((part) => {
          if (typeof part === 'string') return part;
          const value = toSqlString(evaluate(part, payloadValue(context), context, variables));
          return value === Undefined ? '' : value;
        })
        .join(''),
    );
  } catch (error) {
    if (error instanceof RuleFailure) return E.left(error.message);
    throw error;
  }
};
