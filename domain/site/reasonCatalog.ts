// The reason catalog of the site configuration (docs/site-configuration.md): the codes an operator may
// give a stop after the fact (`factory downtime classify`), each in one of the six big losses. A site
// without a catalog keeps reasons as the free strings its state messages carry.
import * as t from 'io-ts';
import { describeValue as show, failWith } from '../decodeError.ts';
import { Id } from '../wire/primitives.ts';
import { listOf, struct } from '../closedStruct.ts';

/**
 * The six big losses (Nakajima's TPM): the first three are availability (downtime) losses, the
 * fourth performance, the last two quality. A stop can only be classified with a downtime loss.
 */
export const LOSS_CATEGORIES = [
  'equipmentFailure',
  'setupAndAdjustments',
  'idlingAndMinorStops',
  'reducedSpeed',
  'processDefects',
  'reducedYield',
] as const;
export type LossCategory = (typeof LOSS_CATEGORIES)[number];
export const DOWNTIME_CATEGORIES: readonly LossCategory[] = [
  'equipmentFailure',
  'setupAndAdjustments',
  'idlingAndMinorStops',
];

const LossCategoryCodec = new t.Type<LossCategory, string, unknown>(
  'a loss category',
  (u): u is LossCategory => typeof u === 'string' && (LOSS_CATEGORIES as readonly string[]).includes(u),
  (u, c) =>
    typeof u === 'string' && (LOSS_CATEGORIES as readonly string[]).includes(u)
      ? t.success(u as LossCategory)
      : failWith(u, c, `expected one of the six big losses (${LOSS_CATEGORIES.join(', ')}), got ${show(u)}`),
  t.identity,
);

export const ReasonCodec = struct('a reason', { code: Id, category: LossCategoryCodec }, { name: t.string });
export const ReasonCatalogCodec = listOf(ReasonCodec, 'reasons (leave reasons out to keep free-text reasons)', true);

export type ReasonConfig = { readonly code: string; readonly category: LossCategory; readonly name?: string };

/** A code listed twice would make its category ambiguous. */
export const reasonCatalogProblems = (reasons: readonly ReasonConfig[] | undefined): string[] => {
  const seen = new Set<string>();
  const problems: string[] = [];
  (reasons ?? []).forEach((reason, i) => {
    if (seen.has(reason.code))
      problems.push(`reasons[${i}].code: "${reason.code}" is listed twice; give each reason code once`);
    seen.add(reason.code);
  });
  return problems;
};

/** The reason a stop without one is booked under (docs/replay-summary.md). */
export const UNSPECIFIED = 'unspecified';
/** The category of a reason the catalog does not list (a free string from a state message). */
export const UNCATEGORIZED = 'uncategorized';

/** The category a reason's downtime counts under in the loss Pareto: `unspecified` stays itself. */
export const categoryOfReason = (reasons: readonly ReasonConfig[], reason: string): string =>
  reason === UNSPECIFIED ? UNSPECIFIED : (reasons.find((r) => r.code === reason)?.category ?? UNCATEGORIZED);

/** Downtime by reason, summed by category. */
export const downtimeByCategory = (
  reasons: readonly ReasonConfig[],
  byReason: Readonly<Record<string, number>>,
): Record<string, number> => {
  const byCategory: Record<string, number> = {};
  for (const [reason, seconds] of Object.entries(byReason)) {
    const category = categoryOfReason(reasons, reason);
    // Summed in whole milliseconds, as the seconds were made from them, so no float residue shows.
    byCategory[category] = (byCategory[category] ?? 0) + Math.round(seconds * 1000);
  }
  return Object.fromEntries(
    Object.entries(byCategory)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([category, ms]) => [category, ms / 1000]),
  );
};
