// The units the platform understands, grouped by what they measure. Every metric of a site has one
// canonical unit (docs/wire-contract.md, §6); a reading in any other unit of the same dimension is converted to it.

export const DIMENSIONS = [
  'temperature',
  'pressure',
  'speed',
  'rotation',
  'power',
  'torque',
  'time',
  'count',
  'percent',
  'energy',
] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/**
 * How a unit maps onto its dimension's base unit. Linear units carry an exact factor (base = value ×
 * factor); the base of each dimension is its smallest unit, so factors are ≥ 1 and the reference points
 * (1 bar = 100 kPa, 1 h = 3600 s) come out exact in binary floating point. Temperature is affine and
 * carries its own pair of formulas around degC.
 */
export type UnitDefinition =
  | { readonly dimension: Dimension; readonly kind: 'linear'; readonly factor: number }
  | {
      readonly dimension: 'temperature';
      readonly kind: 'affine';
      readonly toBase: (v: number) => number;
      readonly fromBase: (v: number) => number;
    };

const linear = (dimension: Dimension, factor: number): UnitDefinition => ({ dimension, kind: 'linear', factor });

// psi: 1 lbf/in² = 0.45359237 kg × 9.80665 m/s² / 0.0254² m² (NIST SP 811), exactly 6894.757293168… Pa.
const PA_PER_PSI = 6894.757293168;
// 1 in = 25.4 mm exactly (international yard and pound, 1959).
const MM_PER_INCH = 25.4;

/** Canonical unit names, in the order they are listed in error messages. */
export const UNITS: Readonly<Record<string, UnitDefinition>> = {
  // Temperature, base degC: degF and K are exact affine maps of it (0 degC = 32 degF = 273.15 K).
  degC: { dimension: 'temperature', kind: 'affine', toBase: (v) => v, fromBase: (v) => v },
  degF: {
    dimension: 'temperature',
    kind: 'affine',
    toBase: (v) => ((v - 32) * 5) / 9,
    fromBase: (v) => (v * 9) / 5 + 32,
  },
  K: { dimension: 'temperature', kind: 'affine', toBase: (v) => v - 273.15, fromBase: (v) => v + 273.15 },
  // Pressure, base Pa.
  Pa: linear('pressure', 1),
  kPa: linear('pressure', 1_000),
  MPa: linear('pressure', 1_000_000),
  bar: linear('pressure', 100_000),
  psi: linear('pressure', PA_PER_PSI),
  // Speed (vibration velocity, ISO 10816 reports mm/s), base mm/s.
  'mm/s': linear('speed', 1),
  'in/s': linear('speed', MM_PER_INCH),
  'm/s': linear('speed', 1_000),
  // Rotation, base rad/s: 1 rpm = 2π/60 rad/s.
  'rad/s': linear('rotation', 1),
  rpm: linear('rotation', (2 * Math.PI) / 60),
  // Power, base W.
  W: linear('power', 1),
  kW: linear('power', 1_000),
  // Torque.
  Nm: linear('torque', 1),
  // Time, base ms.
  ms: linear('time', 1),
  s: linear('time', 1_000),
  min: linear('time', 60_000),
  h: linear('time', 3_600_000),
  // Count.
  count: linear('count', 1),
  // Percent, base %: a ratio of 1 is 100 %.
  '%': linear('percent', 1),
  ratio: linear('percent', 100),
  // Energy, base Wh.
  Wh: linear('energy', 1),
  kWh: linear('energy', 1_000),
};

/** Spellings devices commonly send, mapped to the canonical name. Case matters: mPa is not MPa. */
export const UNIT_ALIASES: Readonly<Record<string, string>> = {
  '°C': 'degC',
  C: 'degC',
  celsius: 'degC',
  '°F': 'degF',
  F: 'degF',
  fahrenheit: 'degF',
  kelvin: 'K',
  'N·m': 'Nm',
  'N*m': 'Nm',
  'r/min': 'rpm',
  RPM: 'rpm',
  sec: 's',
  percent: '%',
};
