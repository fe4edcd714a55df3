// The classify function behind the stack's HTTP API (infra/classifyApi.ts): `POST /classify` with
// {"machine": "factory/line/machine", "at": ISO-8601 or epoch ms, "reason": code, "by"?: name}, signed
// with SigV4 (the route's IAM authorization). It appends the same decision `factory downtime classify`
// does, through the same event store port (classifyStop.ts) on DynamoDB. Without `by`, the decision
// names the IAM caller API Gateway authenticated.
import * as E from 'fp-ts/lib/Either.js';
import type { MachineEvent } from '../../domain/machine/events.ts';
import type { SiteConfig } from '../../domain/site/siteConfig.ts';
import type { EventStore } from '../ports/eventStore.ts';
import { classifyBodyOf, classifyReply, CLASSIFY_USAGE } from './classifyRequest.ts';
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

export const handleClassify = async (deps: ClassifyDeps, event: HttpApiEvent, now: number): Promise<HttpApiResult> => {
  let parsed: unknown;
  try {
    const text = event.isBase64Encoded === true ? Buffer.from(event.body ?? '', 'base64').toString('utf8') : event.body;
    parsed = JSON.parse(text ?? '');
  } catch {
    return reply(400, { error: `the body is not JSON; ${CLASSIFY_USAGE}` });
  }
  const request = classifyBodyOf(parsed);
  if (E.isLeft(request)) return reply(request.left.status, request.left.body);
  const { machine, at, reason } = request.right;
  const by = request.right.by ?? event.requestContext?.authorizer?.iam?.userArn ?? null;
  const answer = classifyReply(
    await classifyStop(deps.store, deps.site, { machine, at, reason, by, classifiedAt: now }),
  );
  return reply(answer.status, answer.body);
};
