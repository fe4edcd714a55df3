// The classify function behind the stack's HTTP API (infra/classifyApi.ts): `POST /classify` with
// {"machine": "factory/line/machine", "at": ISO-8601 or epoch ms, "reason": code, "by"?: name}, signed
// with SigV4 (the route's IAM authorization). It appends the same decision `factory downtime classify`
// does, through the same event store port (classifyStop.ts) on DynamoDB. Without `by`, the decision
// names the IAM caller API Gateway authenticated.
import * as E from 'fp-ts/lib/Either.js';
import type { MachineEvent } from '../../domain/machine/events.ts';
import type { SiteConfig } from '../../domain/site/siteConfig.ts';
import { timestampMs } from '../../domain/wire/primitives.ts';
import type { EventStore } from '../ports/eventStore.ts';
import { classifyStop } from './classifyStop.ts';

/** The parts of an API Gateway HTTP API (payload format 2.0) event this function reads. */
export type HttpApiEvent = {
  readonly body?: string | null;
  readonly isBase64Encoded?: boolean;
  readonly requestContext?: { readonly authorizer?: { readonly iam?: { readonly userArn?: string } } };
};
export type HttpApiResult = {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
};

export type ClassifyDeps = { readonly site: SiteConfig; readonly store: EventStore<MachineEvent> };

const reply = (statusCode: number, body: unknown): HttpApiResult => ({
  statusCode,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

const USAGE =
  'send {"machine": "factory/line/machine", "at": ISO-8601 with zone or epoch ms, "reason": code, "by"?: name}';

export const handleClassify = async (deps: ClassifyDeps, event: HttpApiEvent, now: number): Promise<HttpApiResult> => {
  let body: Record<string, unknown>;
  try {
    const text = event.isBase64Encoded === true ? Buffer.from(event.body ?? '', 'base64').toString('utf8') : event.body;
    const parsed: unknown = JSON.parse(text ?? '');
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
    body = parsed as Record<string, unknown>;
  } catch {
    return reply(400, { error: `the body is not a JSON object; ${USAGE}` });
  }
  const at = timestampMs(body['at']);
  for (const [field, ok] of [
    ['machine', typeof body['machine'] === 'string'],
    ['at', at !== undefined],
    ['reason', typeof body['reason'] === 'string'],
    ['by', body['by'] === undefined || typeof body['by'] === 'string'],
  ] as const)
    if (!ok) return reply(400, { error: `${field}: missing or of the wrong type; ${USAGE}`, field });
  const by = (body['by'] as string | undefined) ?? event.requestContext?.authorizer?.iam?.userArn ?? null;
  const classified = await classifyStop(deps.store, deps.site, {
    machine: body['machine'] as string,
    at: at!,
    reason: body['reason'] as string,
    by,
    classifiedAt: now,
  });
  if (E.isRight(classified)) return reply(200, { classified: classified.right.decision });
  const failure = classified.left;
  switch (failure.kind) {
    case 'refused':
      return reply(400, { error: failure.message, field: failure.field });
    case 'unknownMachine':
      return reply(404, { error: failure.message, field: 'machine' });
    case 'RetriesExhausted':
      // Other writers kept committing to the stream: the caller may simply try again.
      return reply(503, { error: `other writers kept committing (${failure.attempts} attempts); try again` });
  }
};
