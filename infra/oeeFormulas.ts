// docs/replay-summary.md#how-oee-is-counted's OEE, written once as SiteWise expressions: the Machine asset model's metrics are made
// from these strings, and oeeFormulas.test.ts evaluates them against the definitions. SiteWise
// metrics aggregate measurements over a tumbling window (`sum(...)`); a metric may use an attribute
// and other metrics of the same window unaggregated.

/** Measurements the process function writes per machine (by property alias), once per closed interval. */
export const OEE_MEASUREMENTS = {
  planned_time_s: {
    unit: 's',
    description: 'planned production time in the interval (window minus planned stops and data gaps)',
  },
  run_time_s: { unit: 's', description: 'run time in the interval (planned time minus unplanned stops)' },
  total_count: { unit: 'parts', description: 'parts made in the interval' },
  reject_count: { unit: 'parts', description: 'parts rejected in the interval' },
} as const;

export type OeeMeasurement = keyof typeof OEE_MEASUREMENTS;

/** The machine's ideal cycle time, from the site configuration. */
export const IDEAL_CYCLE_ATTRIBUTE = 'ideal_cycle_time_s';

export type SiteWiseExpression = {
  readonly expression: string;
  /** Expression variable → the property it reads (a measurement, transform, attribute or metric). */
  readonly variables: Readonly<Record<string, string>>;
  readonly unit?: string;
};

export const OEE_TRANSFORMS = {
  good_count: {
    expression: 'total - reject',
    variables: { total: 'total_count', reject: 'reject_count' },
    unit: 'parts',
  },
} as const satisfies Record<string, SiteWiseExpression>;

export const OEE_METRICS = {
  // Availability = run time / planned production time
  availability: { expression: 'sum(run) / sum(planned)', variables: { run: 'run_time_s', planned: 'planned_time_s' } },
  // Performance = ideal cycle time × total count / run time (not clamped)
  performance: {
    expression: 'ideal * sum(total) / sum(run)',
    variables: { ideal: IDEAL_CYCLE_ATTRIBUTE, total: 'total_count', run: 'run_time_s' },
  },
  // Quality = good / total
  quality: { expression: 'sum(good) / sum(total)', variables: { good: 'good_count', total: 'total_count' } },
  // OEE = A × P × Q
  oee: { expression: 'a * p * q', variables: { a: 'availability', p: 'performance', q: 'quality' } },
} as const satisfies Record<string, SiteWiseExpression>;

export type OeeMetric = keyof typeof OEE_METRICS;

/** SiteWise tumbling windows: OEE per hour (shift and replay windows are the domain's, in Timestream). */
export const OEE_WINDOW = '1h';
