// An EventBridge Scheduler endpoint (restJson1: POST/PUT/DELETE /schedules/{Name}) that checks the
// name rule and the one-time schedule shape, and answers ConflictException / ResourceNotFoundException
// the way the service does. Test support only.
import { startFakeServer, type FakeServer, type FakeResponse } from './httpExchange.ts';

export type FakeSchedule = {
  readonly ScheduleExpression: string;
  readonly ActionAfterCompletion?: string;
  readonly Target: { Arn: string; RoleArn: string; Input?: string };
  readonly FlexibleTimeWindow: { Mode: string };
  readonly ScheduleExpressionTimezone?: string;
};
export type FakeScheduler = FakeServer & { readonly schedules: Map<string, FakeSchedule> };

const error = (status: number, type: string, message: string): FakeResponse => ({
  status,
  headers: { 'content-type': 'application/json', 'x-amzn-errortype': type },
  body: JSON.stringify({ Message: message }),
});

export const startFakeScheduler = async (): Promise<FakeScheduler> => {
  const schedules = new Map<string, FakeSchedule>();
  const server = await startFakeServer((req) => {
    const match = /^\/schedules\/([^/?]+)/.exec(req.path);
    if (!match) return error(404, 'ResourceNotFoundException', `no route ${req.path}`);
    const name = decodeURIComponent(match[1]!);
    if (!/^[0-9a-zA-Z-_.]+$/.test(name) || name.length > 64)
      return error(
        400,
        'ValidationException',
        `Name ${name} must match ^[0-9a-zA-Z-_.]+$ and be at most 64 characters`,
      );
    if (req.method === 'DELETE') {
      if (!schedules.delete(name)) return error(404, 'ResourceNotFoundException', `Schedule ${name} does not exist.`);
      return { status: 200, headers: { 'content-type': 'application/json' }, body: '{}' };
    }
    const body = JSON.parse(req.body) as FakeSchedule;
    if (
      !/^at\(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\)$/.test(body.ScheduleExpression) ||
      !body.Target?.Arn ||
      !body.Target.RoleArn ||
      !body.FlexibleTimeWindow
    ) {
      return error(400, 'ValidationException', `invalid one-time schedule ${req.body}`);
    }
    if (req.method === 'POST') {
      if (schedules.has(name)) return error(409, 'ConflictException', `Schedule ${name} already exists.`);
    } else if (req.method === 'PUT') {
      if (!schedules.has(name)) return error(404, 'ResourceNotFoundException', `Schedule ${name} does not exist.`);
    } else return error(400, 'ValidationException', `method ${req.method}`);
    schedules.set(name, body);
    return {
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ScheduleArn: `arn:aws:scheduler:us-east-1:000000000000:schedule/default/${name}` }),
    };
  });
  return { ...server, schedules };
};
