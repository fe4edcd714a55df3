// What the attributes function does: SiteWise asset attributes (such as a machine's ideal cycle
// time, which its Performance and OEE metrics divide by) have no value in the asset's CloudFormation
// definition: they take the model's default until a value is written to them, like any property
// value, through BatchPutAssetPropertyValue. `pulumi up` invokes this function with the values the
// site configuration gives each asset (infra/twins.ts), so every machine has its own.
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { formatDecodeErrors } from '../../domain/decodeError.ts';
import type { AssetPropertyWriter } from '../ports/assetPropertyWriter.ts';

const AttributeValues = t.type({ values: t.array(t.type({ alias: t.string, value: t.number })) });
export type AttributeValues = t.TypeOf<typeof AttributeValues>;

export type AttributesOutcome = { readonly written: number };

/** Writes every value at `now`; any value refused fails the whole call, so the deploy that invoked it fails, naming each. */
export const writeAttributes = async (
  writer: AssetPropertyWriter,
  event: unknown,
  now: number,
): Promise<AttributesOutcome> => {
  const decoded = AttributeValues.decode(event);
  if (E.isLeft(decoded))
    throw new Error(
      `attributes event is not {"values":[{"alias":…,"value":…}]}: ${formatDecodeErrors(decoded.left).join('; ')}`,
    );
  const { values } = decoded.right;
  const report = await writer.write(values.map((v) => ({ propertyAlias: v.alias, value: v.value, ts: now })));
  if (report.rejected.length > 0)
    throw new Error(
      `${report.rejected.length} of ${values.length} attribute value(s) refused: ${report.rejected.map((r) => r.reason).join('; ')}`,
    );
  return { written: report.accepted };
};
