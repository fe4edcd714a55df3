// A cumulative counter of a fixed width (a PLC's 16- or 32-bit register) wraps to 0 past its maximum:
// that is an advance of the parts made since, not a reset. Without a configured width, or when the
// drop is too large to be a wrap, a counter that goes down was reset (power cycle, shift reset) and
// counted up again from 0 (docs/site-configuration.md#counter-width).

export const COUNTER_BITS = [16, 32] as const;
export type CounterBits = (typeof COUNTER_BITS)[number];

/** How many values a counter of `bits` takes: it wraps from `modulus − 1` to 0. */
export const counterModulus = (bits: CounterBits): number => 2 ** bits;

/**
 * How far a counter moved from `previous` to `next`, or undefined when it was reset. A drop is a wrap
 * when the advance it implies is at most a quarter of the counter's range (16,384 parts for 16 bits):
 * a counter read every few seconds never makes that many parts between two readings, while a reset
 * from a value in the lower three quarters of the range cannot be mistaken for one.
 */
export const counterAdvance = (previous: number, next: number, modulus: number | undefined): number | undefined => {
  if (next >= previous) return next - previous;
  if (modulus === undefined || previous >= modulus || next >= modulus) return undefined;
  const wrapped = next + modulus - previous;
  return wrapped <= modulus / 4 ? wrapped : undefined;
};
