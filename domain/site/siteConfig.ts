// The site configuration, version 1 (docs/site-configuration.md): factories ▸ lines ▸ machines, the shift calendar,
// each metric's canonical unit and valid range, and the detectors per machine type. Everything is
// checked at load, and each problem is one line naming the path of the bad field.
import type * as t from 'io-ts';
import * as E from 'fp-ts/lib/Either.js';
import { formatDecodeErrors } from '../decodeError.ts';
import type { DetectorSpec } from '../detectors/detectorSpec.ts';
import { calendarProblems } from './calendarConfig.ts';
import { catalogProblems } from './productCatalog.ts';
import { shiftListProblems, siteProblems } from './siteChecks.ts';
import { reasonCatalogProblems } from './reasonCatalog.ts';
import { SiteConfigCodec, type SiteDocument } from './siteDocument.ts';
import { failureReasonProblems } from '../maintenance/failureReasons.ts';

export type {
  BreakConfig,
  FactoryConfig,
  LineConfig,
  MetricSpec,
  ShiftConfig,
  SiteDocument,
  SiteMachineConfig,
} from './siteDocument.ts';

/** The site after load: the document with its defaults filled in (docs/site-configuration.md). */
export type SiteConfig = Omit<
  SiteDocument,
  'microStopS' | 'heartbeatTimeoutS' | 'allowedLatenessS' | 'metrics' | 'detectors'
> & {
  readonly microStopS: number;
  readonly heartbeatTimeoutS: number;
  readonly allowedLatenessS: number;
  readonly metrics: NonNullable<SiteDocument['metrics']>;
  /** Per machine type; threshold clear bounds are filled in (absent = the raise bound). */
  readonly detectors: Readonly<Record<string, readonly DetectorSpec[]>>;
};

export const DEFAULT_MICRO_STOP_S = 120;
export const DEFAULT_HEARTBEAT_TIMEOUT_S = 300;
export const DEFAULT_ALLOWED_LATENESS_S = 600;

// formatDecodeErrors joins keys with dots (`factories.0.lines`); a person reading a configuration
// thinks in `factories[0].lines`. Formatting once more with a marker message recovers each line's
// exact path, so a message that itself contains ": " is never cut in the wrong place.
const MARK = '\u0000';
const bracketed = (path: string): string => path.replace(/\.(\d+)(?=\.|$)/g, '[$1]');
const codecProblems = (errors: t.Errors): string[] => {
  const lines = formatDecodeErrors(errors);
  const paths = formatDecodeErrors(errors.map((error) => ({ ...error, message: MARK })));
  return lines.map((line, i) => {
    const marked = paths[i] ?? '';
    if (marked === MARK) return line;
    const path = marked.slice(0, -(MARK.length + 2));
    return `${bracketed(path)}${line.slice(path.length)}`;
  });
};

const withClearBounds = (spec: DetectorSpec): DetectorSpec =>
  spec.kind !== 'threshold'
    ? spec
    : {
        ...spec,
        ...(spec.above !== undefined && spec.clearBelow === undefined ? { clearBelow: spec.above } : {}),
        ...(spec.below !== undefined && spec.clearAbove === undefined ? { clearAbove: spec.below } : {}),
      };

const withDefaults = (doc: SiteDocument): SiteConfig => ({
  ...doc,
  version: 1,
  microStopS: doc.microStopS ?? DEFAULT_MICRO_STOP_S,
  heartbeatTimeoutS: doc.heartbeatTimeoutS ?? DEFAULT_HEARTBEAT_TIMEOUT_S,
  allowedLatenessS: doc.allowedLatenessS ?? DEFAULT_ALLOWED_LATENESS_S,
  metrics: doc.metrics ?? {},
  detectors: Object.fromEntries(
    Object.entries(doc.detectors ?? {}).map(([type, specs]) => [type, specs.map(withClearBounds)]),
  ),
});

/** A parsed JSON or YAML document → the site, or every problem found, one line each. */
export const decodeSiteConfig = (json: unknown): E.Either<readonly string[], SiteConfig> => {
  const decoded = SiteConfigCodec.decode(json);
  if (E.isLeft(decoded)) return E.left(codecProblems(decoded.left));
  const machineTypes = decoded.right.factories.flatMap((f) => f.lines.flatMap((l) => l.machines.map((m) => m.type)));
  const problems = [
    ...siteProblems(decoded.right),
    ...catalogProblems(decoded.right),
    ...reasonCatalogProblems(decoded.right.reasons),
    ...failureReasonProblems(decoded.right.maintenance, machineTypes),
    ...calendarProblems(decoded.right, shiftListProblems),
  ];
  return problems.length > 0 ? E.left(problems) : E.right(withDefaults(decoded.right));
};
