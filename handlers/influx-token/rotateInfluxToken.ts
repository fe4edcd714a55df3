// The InfluxDB write token's Secrets Manager rotation (the four steps Secrets Manager invokes a
// rotation function with): createSecret makes a new write-only token for the telemetry bucket and
// stores it as the AWSPENDING version `{"token","authorizationId","previousAuthorizationId"}`;
// finishSecret makes it AWSCURRENT. The token it replaces stays valid until the next rotation (a warm
// process function still holds it; a new cold start reads the new one); the one before is deleted then.
// The stack's SecretRotation rotates at once when it is created, so `pulumi up` leaves a token behind.
import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  UpdateSecretVersionStageCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import type { InfluxAdmin } from './influxAdminApi.ts';

export type RotationEvent = { readonly SecretId: string; readonly ClientRequestToken: string; readonly Step: string };
export type TokenSecret = {
  readonly token: string;
  readonly authorizationId: string;
  readonly previousAuthorizationId?: string | undefined;
};

export type RotationDeps = { readonly secrets: SecretsManagerClient; readonly admin: () => Promise<InfluxAdmin> };

const secretOf = async (
  secrets: SecretsManagerClient,
  input: { SecretId: string; VersionId?: string; VersionStage?: string },
): Promise<TokenSecret | undefined> => {
  try {
    const text = (await secrets.send(new GetSecretValueCommand(input))).SecretString;
    return text === undefined ? undefined : (JSON.parse(text) as TokenSecret);
  } catch (error) {
    if ((error as Error).name === 'ResourceNotFoundException') return undefined;
    throw error;
  }
};

export const rotateInfluxToken = async (deps: RotationDeps, event: RotationEvent): Promise<void> => {
  const { SecretId, ClientRequestToken: version, Step } = event;
  const { secrets } = deps;
  const metadata = await secrets.send(new DescribeSecretCommand({ SecretId }));
  if (metadata.RotationEnabled === false) throw new Error(`secret ${SecretId} is not enabled for rotation`);
  const stages = metadata.VersionIdsToStages ?? {};
  if (stages[version]?.includes('AWSCURRENT')) return; // already rotated to this version
  const current = Object.entries(stages).find(([, s]) => s.includes('AWSCURRENT'))?.[0];

  switch (Step) {
    case 'createSecret': {
      if ((await secretOf(secrets, { SecretId, VersionId: version, VersionStage: 'AWSPENDING' })) !== undefined) return;
      const previous = current === undefined ? undefined : await secretOf(secrets, { SecretId, VersionId: current });
      const made = await (
        await deps.admin()
      ).createWriteToken(`smart-factory process function (${SecretId}, version ${version})`);
      const value: TokenSecret = {
        token: made.token,
        authorizationId: made.id,
        previousAuthorizationId: previous?.authorizationId,
      };
      await secrets.send(
        new PutSecretValueCommand({
          SecretId,
          ClientRequestToken: version,
          SecretString: JSON.stringify(value),
          VersionStages: ['AWSPENDING'],
        }),
      );
      return;
    }
    case 'setSecret':
      // The token is live in InfluxDB from the moment it is made: nothing to set.
      return;
    case 'testSecret': {
      const pending = await secretOf(secrets, { SecretId, VersionId: version, VersionStage: 'AWSPENDING' });
      if (pending === undefined || typeof pending.token !== 'string' || pending.token === '')
        throw new Error(`secret ${SecretId} version ${version} holds no token`);
      return;
    }
    case 'finishSecret': {
      const replaced = current === undefined ? undefined : await secretOf(secrets, { SecretId, VersionId: current });
      await secrets.send(
        new UpdateSecretVersionStageCommand({
          SecretId,
          VersionStage: 'AWSCURRENT',
          MoveToVersionId: version,
          ...(current === undefined ? {} : { RemoveFromVersionId: current }),
        }),
      );
      // Two generations old: no function started since the last rotation holds it.
      if (replaced?.previousAuthorizationId !== undefined)
        await (await deps.admin()).deleteToken(replaced.previousAuthorizationId);
      return;
    }
    default:
      throw new Error(
        `unknown rotation step ${JSON.stringify(Step)}; expected createSecret, setSecret, testSecret or finishSecret`,
      );
  }
};
