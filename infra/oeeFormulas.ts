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
  // Each part weighed by the ideal cycle time of its product (the job it was made in; the machine's
  // ideal_cycle_time_s without one), so a machine that runs several products is measured against each.
  ideal_time_s: {
    unit: 's',
    description: 'ideal time of the parts made in the interval (ideal cycle time of each part’s product × parts)',
  },
  ideal_good_time_s: { unit: 's', description: 'ideal time of the good parts made in the interval' },
} as const;

export type OeeMeasurement = keyof typeof OEE_MEASUREMENTS;

/** The machine's ideal cycle time, from the site configuration (of parts made outside any job; informative). */
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
  // Performance = ideal cycle time × total count / run time (not clamped); the ideal time sums each
  // part's product's ideal cycle time, so it is ideal cycle × total for a machine that runs one product
  performance: { expression: 'sum(ideal) / sum(run)', variables: { ideal: 'ideal_time_s', run: 'run_time_s' } },
  // Quality = good / total
  quality: { expression: 'sum(good) / sum(total)', variables: { good: 'good_count', total: 'total_count' } },
  // OEE = ideal cycle time × good / planned production time (= A × P × Q for one product)
  oee: {
    expression: 'sum(idealGood) / sum(planned)',
    variables: { idealGood: 'ideal_good_time_s', planned: 'planned_time_s' },
  },
} as const satisfies Record<string, SiteWiseExpression>;

export type OeeMetric = keyof typeof OEE_METRICS;

/** SiteWise tumbling windows: OEE per hour (shift and replay windows are the domain's, in Timestream). */
export const OEE_WINDOW = '1h';
