// Edge alone, under mocks, with the key and each factory's thing group as plain ARNs: one deployment
// of the gateway component per factory, and a role that may fetch only the component's artifacts.
import test from 'ava';
import { arnOf, constructAlone, IDENTITY, KEY_ARN, type Constructed } from './testing/componentHarness.ts';

const GROUPS = { f1: arnOf('iot', 'thinggroup/f1-gateways'), f2: arnOf('iot', 'thinggroup/f2-gateways') };

let built: Constructed;
test.before(async () => {
  built = await constructAlone(async () => {
    const { Edge } = await import('./edge.ts');
    return new Edge('edge', {
      identity: IDENTITY,
      keyArn: KEY_ARN,
      gatewayAssetDir: 'dist/gateway',
      componentVersion: '0.1.0',
      thingGroupArns: GROUPS,
    });
  });
});

test('one deployment of the component per factory thing group given, telling the gateway its factory', (t) => {
  const deployments = built.ofType('aws-native:greengrassv2:Deployment');
  t.deepEqual(
    deployments.map((d) => d.inputs.targetArn),
    Object.values(GROUPS),
  );
  for (const [factoryId, deployment] of Object.keys(GROUPS).map((f, i) => [f, deployments[i]!] as const)) {
    const [component] = Object.values(deployment.inputs.components) as any[];
    t.deepEqual(JSON.parse(component.configurationUpdate.merge), { gateway: { factoryId } });
  }
});

test("the token exchange role may read the component's artifacts and decrypt with the key given, nothing else", (t) => {
  const bucket = built.one('aws:s3/bucket:Bucket');
  const statements = built.statements('edge-token-exchange');
  t.deepEqual(
    statements.map((s) => [s.Action, s.Resource]),
    [
      [['s3:GetObject'], `${bucket.state.arn}/components/*`],
      [['kms:Decrypt'], KEY_ARN],
    ],
  );
  for (const artifact of built.ofType('aws:s3/bucketObjectv2:BucketObjectv2')) t.is(artifact.inputs.kmsKeyId, KEY_ARN);
});
