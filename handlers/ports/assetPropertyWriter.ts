// OEE and machine values into SiteWise asset properties, addressed by property alias.
import type { WriteReport } from './writeReport.ts';

export type AssetPropertyValue = {
  /** e.g. "/f1/l1/press-01/oee". */
  readonly propertyAlias: string;
  readonly value: number;
  /** Epoch milliseconds. */
  readonly ts: number;
  readonly quality?: 'GOOD' | 'BAD' | 'UNCERTAIN';
};

export interface AssetPropertyWriter {
  write(values: readonly AssetPropertyValue[]): Promise<WriteReport<AssetPropertyValue>>;
}
