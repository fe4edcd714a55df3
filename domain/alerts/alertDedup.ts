// One alert, not two, when the gateway and the machine's own detectors decide the same thing. The
// gateway's alerts arrive as they are raised; the machine's detectors decide once readings settle,
// the allowed lateness later. So a raise is the same alert as an open one of its detector (which either
// side's clearing closes), and a raise of the machine's detector at a time a gateway's alert already
// covered and closed is that alert too: it is not sent again, nor is the clearing that pairs with it. The core applies
// this rule to what it sends, and the summary to what it shows, in the same order: the stream's.
import type { AlertEvent } from '../detectors/detector.ts';

export type DetectorAlertState = {
  /** Who raised the detector's open alert, if one is open. */
  readonly open: 'edge' | 'machine' | null;
  /** The gateway's last alert of this detector: raised at, cleared at (null while open). */
  readonly edge: { readonly from: number; readonly to: number | null } | null;
  /** A raise of the machine's detector was suppressed: its clearing is too. */
  readonly suppressing: boolean;
};

export type AlertDedupState = Readonly<Record<string, DetectorAlertState>>;

const NONE: DetectorAlertState = { open: null, edge: null, suppressing: false };

/** The state after `event`, and whether the event changes the alert (is sent and shown). */
export const stepAlertDedup = (state: AlertDedupState, event: AlertEvent): readonly [AlertDedupState, boolean] => {
  const d = state[event.detector] ?? NONE;
  const fromEdge = event.origin === 'edge';
  let next: DetectorAlertState = d;
  let changes = false;
  if (event.type === 'DetectorRaised') {
    // Either side's clearing closes an open alert; a raise while it is open is the same alert.
    if (d.open !== null) next = d;
    else if (!fromEdge && d.edge !== null && d.edge.from <= event.ts && (d.edge.to === null || event.ts <= d.edge.to))
      next = { ...d, suppressing: true };
    else {
      next = {
        open: fromEdge ? 'edge' : 'machine',
        edge: fromEdge ? { from: event.ts, to: null } : d.edge,
        suppressing: d.suppressing,
      };
      changes = true;
    }
  } else if (!fromEdge && d.suppressing) {
    next = { ...d, suppressing: false };
  } else if (d.open !== null) {
    next = {
      open: null,
      edge: d.open === 'edge' && d.edge !== null ? { from: d.edge.from, to: event.ts } : d.edge,
      suppressing: d.suppressing,
    };
    changes = true;
  }
  return next === d ? [state, changes] : [{ ...state, [event.detector]: next }, changes];
};
