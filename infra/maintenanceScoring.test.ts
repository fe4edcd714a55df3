// MaintenanceScoring alone, under mocks, with the key and the archive bucket as plain inputs: training
// reads and writes only its prefixes of the archive given; the endpoint exists only once a model is published.
import test from 'ava';
import { SERVED_MODEL_KEY } from './maintenanceScoring.ts';
import { constructAlone, IDENTITY, KEY_ARN, SUBNET_IDS, TARGET, type Constructed } from './testing/componentHarness.ts';

const ARCHIVE = { name: 'archive-bucket', arn: 'arn:aws:s3:::archive-bucket' };

let built: Constructed;
test.before(async () => {
  built = await constructAlone(async () => {
    const { MaintenanceScoring } = await import('./maintenanceScoring.ts');
    const args = {
      identity: IDENTITY,
      target: TARGET,
      keyArn: KEY_ARN,
      archiveBucket: ARCHIVE,
      vpcId: 'vpc-1',
      subnetIds: SUBNET_IDS,
      s3ServiceName: 'com.amazonaws.eu-central-1.s3',
      memoryMb: 2048 as const,
      maxConcurrency: 5,
    };
    new MaintenanceScoring('first', { ...args, modelPublished: false });
    new MaintenanceScoring('published', { ...args, modelPublished: true });
  });
});

test('the training role reads the raw archive and the training prefixes of the bucket given, and writes models only', (t) => {
  const statements = built.statements('first-role');
  const resourceOf = (sid: string) => statements.find((s) => s.Sid === sid)?.Resource;
  t.is(resourceOf('ListArchive'), ARCHIVE.arn);
  t.deepEqual(resourceOf('ReadTrainingData'), [
    `${ARCHIVE.arn}/raw/*`,
    `${ARCHIVE.arn}/training/maintenance/*`,
    `${ARCHIVE.arn}/models/maintenance/*`,
  ]);
  t.is(resourceOf('WriteModels'), `${ARCHIVE.arn}/models/maintenance/*`);
  t.is(resourceOf('StackKey'), KEY_ARN);
});

test('a model, endpoint configuration and endpoint only once a model is published, serving the model at its key', (t) => {
  t.deepEqual(
    built.ofType('aws:sagemaker/model:Model').map((m) => m.name),
    ['published-model'],
  );
  const model = built.one('aws:sagemaker/model:Model');
  t.is(model.inputs.primaryContainer.modelDataUrl, `s3://${ARCHIVE.name}/${SERVED_MODEL_KEY}`);
  t.is(built.one('aws:sagemaker/endpointConfiguration:EndpointConfiguration').inputs.kmsKeyArn, KEY_ARN);
  t.is(built.ofType('aws:sagemaker/pipeline:Pipeline').length, 2, 'the training pipeline either way');
});
