// InfluxToken alone, under mocks, with the key and the token's secret as plain ARNs: the rotation
// function may rotate exactly that secret, and Secrets Manager rotates it at once, then every 30 days.
import test from 'ava';
import { TOKEN_ROTATION_DAYS } from './influxToken.ts';
import { arnOf, constructAlone, IDENTITY, KEY_ARN, SUBNET_IDS, type Constructed } from './testing/componentHarness.ts';

const TOKEN_SECRET_ARN = arnOf('secretsmanager', 'secret:influxdb-token-AbCdEf');

let built: Constructed;
test.before(async () => {
  built = await constructAlone(async () => {
    const { InfluxToken } = await import('./influxToken.ts');
    return new InfluxToken('influx-token', {
      identity: IDENTITY,
      keyArn: KEY_ARN,
      tokenSecretArn: TOKEN_SECRET_ARN,
      influx: { url: 'https://influx:8086', org: 'o', bucket: 'b', username: 'factory', password: 'pw' },
      subnetIds: SUBNET_IDS,
      securityGroupId: 'sg-lambda',
      lambdaAssetDir: 'dist/lambdas',
      logRetentionDays: 30,
    });
  });
});

test('the secret given is rotated at once and every 30 days by the function made here', (t) => {
  const rotation = built.one('aws:secretsmanager/secretRotation:SecretRotation');
  t.is(rotation.inputs.secretId, TOKEN_SECRET_ARN);
  t.is(rotation.inputs.rotationLambdaArn, built.one('aws:lambda/function:Function').state.arn);
  t.true(rotation.inputs.rotateImmediately);
  t.is(rotation.inputs.rotationRules.automaticallyAfterDays, TOKEN_ROTATION_DAYS);
  t.is(built.one('aws:lambda/permission:Permission').inputs.sourceArn, TOKEN_SECRET_ARN);
});

test('the rotation role may rotate only the secret given and read only the admin secret made here', (t) => {
  const statements = built.statements('influx-token-rotation');
  const resourceOf = (sid: string) => statements.find((s) => s.Sid === sid)?.Resource;
  t.is(resourceOf('RotateToken'), TOKEN_SECRET_ARN);
  t.is(resourceOf('ReadAdmin'), built.one('aws:secretsmanager/secret:Secret').state.arn);
  t.is(resourceOf('StackKey'), KEY_ARN);
});
