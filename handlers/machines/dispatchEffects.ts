// The outbox's dispatcher: the side effects of one committed batch, sent through the ports. In the
// cloud it runs on the event table's DynamoDB stream (handlers/dispatch), locally right after the
// commit (localstack/replay). Every effect carries a deterministic id, so dispatching a commit again
// after a failure duplicates nothing that a consumer cannot recognise; a failure is reported, and the
// commit stays in the outbox (or the stream record is retried) until every port took its part.
import type { MachineEffect } from '../../domain/pipeline/machineBatch.ts';
import type { MachineEntry } from '../../domain/site/siteRegistry.ts';
import type { AlertPublisher } from '../ports/alertPublisher.ts';
import type { AssetPropertyWriter } from '../ports/assetPropertyWriter.ts';
import type { TelemetrySink } from '../ports/telemetrySink.ts';
import type { TimerScheduler } from '../ports/timerScheduler.ts';
import { alertOf, heartbeatTimerOf, oeeRecordOf, siteWiseValuesOf } from './machineOutputs.ts';

export type DispatchPorts = {
  readonly alerts: AlertPublisher;
  readonly assets: AssetPropertyWriter;
  readonly timers: TimerScheduler;
  /** The OEE table (Timestream `oee`, or an InfluxDB measurement); optional. */
  readonly oee?: TelemetrySink;
};

/** What could not be sent: `retryable` failures keep the commit for another attempt; the rest are logged. */
export type DispatchOutcome = {
  readonly sent: number;
  readonly failures: readonly { readonly reason: string; readonly retryable: boolean }[];
};

export const dispatchEffects = async (
  ports: DispatchPorts,
  machine: MachineEntry,
  position: number,
  effects: readonly MachineEffect[],
): Promise<DispatchOutcome> => {
  const alerts = effects.flatMap((e) => (e.kind === 'alert' ? [alertOf(machine, e.event)] : []));
  const oee = effects.flatMap((e) => (e.kind === 'oee' ? [e] : []));
  const timer = effects
    .flatMap((e) => (e.kind === 'heartbeatTimer' ? [heartbeatTimerOf(machine, e.fireAt, e.lastHeardTs)] : []))
    .pop();
  const failures: { reason: string; retryable: boolean }[] = [];
  let sent = 0;
  const attempt = async (
    what: string,
    send: () => Promise<{ accepted: number; rejected: readonly { reason: string; retryable: boolean }[] }>,
  ): Promise<void> => {
    try {
      const report = await send();
      sent += report.accepted;
      failures.push(...report.rejected.map((r) => ({ reason: r.reason, retryable: r.retryable })));
    } catch (error) {
      failures.push({ reason: `${what}: ${(error as Error).name}: ${(error as Error).message}`, retryable: true });
    }
  };
  if (alerts.length > 0) await attempt('alerts', () => ports.alerts.publish(alerts));
  const values = oee.flatMap((o) => siteWiseValuesOf(machine, o.before, o.after, o.ts));
  if (values.length > 0) await attempt('SiteWise', () => ports.assets.write(values));
  const last = oee[oee.length - 1];
  if (last !== undefined && ports.oee !== undefined)
    await attempt('OEE table', () => ports.oee!.write([oeeRecordOf(machine, last.after, last.ts, position)]));
  if (timer !== undefined)
    await attempt('heartbeat timer', async () => {
      await ports.timers.schedule(timer);
      return { accepted: 1, rejected: [] };
    });
  return { sent, failures };
};
