// What a batch write to an outside service reports: a partial failure is data the caller acts on
// (retry later, dead-letter), never a lost record.
export type Rejected<T> = { readonly item: T; readonly reason: string; readonly retryable: boolean };

export type WriteReport<T> = { readonly accepted: number; readonly rejected: readonly Rejected<T>[] };

export const emptyReport = <T>(): WriteReport<T> => ({ accepted: 0, rejected: [] });
