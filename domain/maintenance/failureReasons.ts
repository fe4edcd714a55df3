// Which stops are failures (docs/site-configuration.md `maintenance.failureReasons`): per machine type,
// the DOWN reasons that end a machine's run by failing, as opposed to a jam or a missing part. They
// label a plant's own history for the failure model (failureWindows.ts); nothing else reads them.
import * as t from 'io-ts';
import { describeValue as show, failWith } from '../decodeError.ts';
import { Id } from '../wire/primitives.ts';
import { listOf, struct } from '../closedStruct.ts';
import type { FailureMode } from './maintenanceModel.ts';

const Reason = new t.Type<string, string, unknown>(
  'a stop reason',
  (u): u is string => typeof u === 'string' && u.trim() !== '',
  (u, c) =>
    typeof u === 'string' && u.trim() !== ''
      ? t.success(u)
      : failWith(u, c, `expected a stop reason as the state messages send it (e.g. "tool_failure"), got ${show(u)}`),
  t.identity,
);

export const MaintenanceSettingsCodec = struct(
  'the maintenance settings',
  {},
  {
    failureReasons: t.record(
      Id,
      listOf(Reason, 'failure reasons', true),
      'an object of machine type to a list of failure reasons',
    ),
  },
);
export type MaintenanceSettings = { readonly failureReasons?: Readonly<Record<string, readonly string[]>> };

/** A machine type named in failureReasons that no machine has would label nothing, in silence. */
export const failureReasonProblems = (
  settings: MaintenanceSettings | undefined,
  machineTypes: readonly string[],
): string[] =>
  Object.keys(settings?.failureReasons ?? {}).flatMap((type) =>
    machineTypes.includes(type)
      ? []
      : [
          `maintenance.failureReasons.${type}: no machine has type "${type}" (types: ${[...new Set(machineTypes)].join(', ')}; case-sensitive); use a machine type of the site`,
        ],
  );

/** The failure reasons of a machine type; none when the site names none for it. */
export const failureReasonsOf = (settings: MaintenanceSettings | undefined, machineType: string): readonly string[] =>
  settings?.failureReasons?.[machineType] ?? [];

/**
 * The failure mode a reason is learnt as: the mode models only name an alert's likeliest cause, so a
 * reason that names a physical driver goes to its mode and any other failure to RNF (no driver).
 */
export const failureModeOfReason = (reason: string): FailureMode => {
  const r = reason.toLowerCase();
  if (/tool/.test(r)) return 'TWF';
  if (/heat|temperature|cool/.test(r)) return 'HDF';
  if (/power/.test(r)) return 'PWF';
  if (/strain|overload/.test(r)) return 'OSF';
  return 'RNF';
};
