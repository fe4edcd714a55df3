// A classify request over HTTP, as the cloud's `POST /classify` (handleClassify.ts) and the local
// dashboard's `POST /api/classify` both take it: the JSON body's fields checked one way, and each
// outcome of classifyStop given one status, so the two servers answer the same request the same way.
import * as E from 'fp-ts/lib/Either.js';
import { timestampMs } from '../../domain/wire/primitives.ts';
import type { Classified, ClassifyFailure } from './classifyStop.ts';

export const CLASSIFY_USAGE =
  'send {"machine": "factory/line/machine", "at": ISO-8601 with zone or epoch ms, "reason": code, "by"?: name}';

export type ClassifyBody = {
  readonly machine: string;
  readonly at: number;
  readonly reason: string;
  /** Absent: the server names who classified (the IAM caller in the cloud; nobody locally). */
  readonly by: string | undefined;
};

export type HttpReply = { readonly status: number; readonly body: Readonly<Record<string, unknown>> };

/** The request's fields from its parsed JSON body, or a 400 naming the first field that is wrong. */
export const classifyBodyOf = (parsed: unknown): E.Either<HttpReply, ClassifyBody> => {
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    return E.left({ status: 400, body: { error: `the body is not a JSON object; ${CLASSIFY_USAGE}` } });
  const body = parsed as Record<string, unknown>;
  const at = timestampMs(body['at']);
  for (const [field, ok] of [
    ['machine', typeof body['machine'] === 'string'],
    ['at', at !== undefined],
    ['reason', typeof body['reason'] === 'string'],
    ['by', body['by'] === undefined || typeof body['by'] === 'string'],
  ] as const)
    if (!ok)
      return E.left({
        status: 400,
        body: { error: `${field}: missing or of the wrong type; ${CLASSIFY_USAGE}`, field },
      });
  return E.right({
    machine: body['machine'] as string,
    at: at!,
    reason: body['reason'] as string,
    by: body['by'] as string | undefined,
  });
};

/** What classifyStop's outcome answers: 200 with the decision, 400 refused, 404 unknown machine, 503 try again. */
export const classifyReply = (result: E.Either<ClassifyFailure, Classified>): HttpReply => {
  if (E.isRight(result)) return { status: 200, body: { classified: result.right.decision } };
  const failure = result.left;
  switch (failure.kind) {
    case 'refused':
      return { status: 400, body: { error: failure.message, field: failure.field } };
    case 'unknownMachine':
      return { status: 404, body: { error: failure.message, field: 'machine' } };
    case 'RetriesExhausted':
      // Other writers kept committing to the stream: the caller may simply try again.
      return {
        status: 503,
        body: { error: `other writers kept committing (${failure.attempts} attempts); try again` },
      };
  }
};
