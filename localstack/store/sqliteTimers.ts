// The local EventBridge Scheduler: one row per (machine key, kind); the local stack polls takeDue
// with its clock, and a taken timer is deleted, like a schedule with ActionAfterCompletion DELETE.
import type { Timer, TimerScheduler } from '../../handlers/ports/timerScheduler.ts';
import type { FactoryDb } from './schema.ts';

type Row = { machine_key: string; kind: string; fire_at: number; payload: string };
const toTimer = (r: Row): Timer => ({
  machineKey: r.machine_key,
  kind: r.kind,
  fireAt: r.fire_at,
  payload: JSON.parse(r.payload) as Timer['payload'],
});

export const sqliteTimers = (
  db: FactoryDb,
): TimerScheduler & { readonly pending: () => Timer[]; readonly takeDue: (now: number) => Timer[] } => {
  const upsert = db.prepare(`INSERT INTO timers (machine_key, kind, fire_at, payload) VALUES (?, ?, ?, ?)
    ON CONFLICT (machine_key, kind) DO UPDATE SET fire_at = excluded.fire_at, payload = excluded.payload`);
  const remove = db.prepare('DELETE FROM timers WHERE machine_key = ? AND kind = ?');
  const selectAll = db.prepare<[], Row>('SELECT * FROM timers ORDER BY fire_at, machine_key, kind');
  const selectDue = db.prepare<[number], Row>(
    'SELECT * FROM timers WHERE fire_at <= ? ORDER BY fire_at, machine_key, kind',
  );
  const takeDue = db.transaction((now: number) => {
    const due = selectDue.all(now);
    due.forEach((r) => remove.run(r.machine_key, r.kind));
    return due.map(toTimer);
  });
  return {
    schedule: async (t) => void upsert.run(t.machineKey, t.kind, t.fireAt, JSON.stringify(t.payload)),
    cancel: async (machineKey, kind) => void remove.run(machineKey, kind),
    pending: () => selectAll.all().map(toTimer),
    takeDue: (now) => takeDue(now),
  };
};
