// The wire contract, version 1 (docs/wire-contract.md), as JSON Schema (draft-07), for comparing ajv's compiled
// validators with the io-ts codecs of domain/wire. Same rules: ids of 1-256 characters, a timestamp
// as ISO-8601 with a zone or epoch milliseconds in 1970-9999, metric names of the safe alphabet, a
// metric as a number or {value, unit}, counters as whole numbers with reject ≤ total ($data).
const EPOCH_MS_9999 = Date.UTC(9999, 11, 31);

const common = {
  v: { const: 1 },
  id: { type: 'string', minLength: 1, maxLength: 256 },
  ts: {
    anyOf: [
      { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:?\\d{2})$' },
      { type: 'number', minimum: 0, maximum: EPOCH_MS_9999 },
    ],
  },
} as const;

const count = { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER } as const;

export const TELEMETRY_SCHEMA = {
  $id: 'https://smart-factory.local/wire/v1/telemetry.json',
  type: 'object',
  required: ['v', 'id', 'ts', 'metrics'],
  properties: {
    ...common,
    seq: count,
    metrics: {
      type: 'object',
      minProperties: 1,
      propertyNames: { pattern: '^[A-Za-z0-9_.:-]{1,128}$' },
      additionalProperties: {
        anyOf: [
          { type: 'number' },
          {
            type: 'object',
            required: ['value', 'unit'],
            properties: { value: { type: 'number' }, unit: { type: 'string', minLength: 1 } },
          },
        ],
      },
    },
  },
} as const;

export const STATE_SCHEMA = {
  $id: 'https://smart-factory.local/wire/v1/state.json',
  type: 'object',
  required: ['v', 'id', 'ts', 'state'],
  properties: {
    ...common,
    state: { enum: ['RUNNING', 'IDLE', 'DOWN', 'SETUP', 'PLANNED_STOP', 'OFF'] },
    reason: { type: 'string' },
  },
} as const;

export const COUNTS_SCHEMA = {
  $id: 'https://smart-factory.local/wire/v1/counts.json',
  type: 'object',
  required: ['v', 'id', 'ts', 'total', 'reject'],
  properties: { ...common, total: count, reject: { ...count, maximum: { $data: '1/total' } } },
} as const;
