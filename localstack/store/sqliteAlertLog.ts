// The local SNS: alerts land in a table the dashboard reads; the alert id makes a republish a no-op.
import type { Alert, AlertPublisher } from '../../handlers/ports/alertPublisher.ts';
import type { FactoryDb } from './schema.ts';

type Row = {
  alert_id: string;
  factory_id: string;
  line_id: string;
  machine_id: string;
  detector: string;
  status: Alert['status'];
  at: number;
  message: string;
};

export const sqliteAlertLog = (db: FactoryDb): AlertPublisher & { readonly all: () => Alert[] } => {
  const insert =
    db.prepare(`INSERT INTO alerts (alert_id, factory_id, line_id, machine_id, detector, status, at, message)
    VALUES (@alertId, @factoryId, @lineId, @machineId, @detector, @status, @at, @message) ON CONFLICT (alert_id) DO NOTHING`);
  const selectAll = db.prepare<[], Row>('SELECT * FROM alerts ORDER BY at, alert_id');
  const insertAll = db.transaction((alerts: readonly Alert[]) => alerts.forEach((a) => insert.run(a)));
  return {
    publish: async (alerts) => {
      insertAll(alerts);
      return { accepted: alerts.length, rejected: [] };
    },
    all: () =>
      selectAll.all().map((r) => ({
        alertId: r.alert_id,
        factoryId: r.factory_id,
        lineId: r.line_id,
        machineId: r.machine_id,
        detector: r.detector,
        status: r.status,
        at: r.at,
        message: r.message,
      })),
  };
};
