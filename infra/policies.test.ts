import test from 'ava';
import { coreDevicePolicyDocument, iotPolicyDocument } from '../domain/policy/iotPolicy.ts';
import { runResourcePolicy, runStackPolicy, type PolicySubject } from './testing/policyRunner.ts';
import {
  everyBucketLockedDown,
  iamInlinePolicyFits,
  iamNoWildcards,
  iamWildcardResourcesScoped,
  iotPolicyUsesVariables,
  logGroupsHaveRetention,
  RESOURCE_POLICIES,
  s3NoPublicAccess,
  SCOPED_WILDCARD_RESOURCES,
  storesEncryptedWithStackKey,
  WILDCARD_RESOURCE_ACTIONS,
} from './policies.ts';

const KEY = 'arn:aws:kms:eu-central-1:123456789012:key/stack';
const OTHER_KEY = 'arn:aws:kms:eu-central-1:123456789012:key/someone-else';
const config = { stackKeyArns: [KEY] };
const doc = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });
const rolePolicy = (...statements: object[]): PolicySubject => ({
  type: 'aws:iam/rolePolicy:RolePolicy',
  name: 'fn',
  inputs: { policy: doc(...statements) },
});
const messages = async (...args: Parameters<typeof runResourcePolicy>) =>
  (await runResourcePolicy(...args)).map((v) => v.message);

test('iam-no-wildcards: a scoped statement passes; a wildcard action or Resource "*" fails', async (t) => {
  t.deepEqual(
    await messages(iamNoWildcards, [
      rolePolicy({
        Sid: 'Table',
        Effect: 'Allow',
        Action: ['dynamodb:PutItem'],
        Resource: 'arn:aws:dynamodb:eu-central-1:1:table/t',
      }),
    ]),
    [],
  );
  t.deepEqual(
    await messages(iamNoWildcards, [
      rolePolicy({
        Sid: 'Lazy',
        Effect: 'Allow',
        Action: ['dynamodb:*'],
        Resource: 'arn:aws:dynamodb:eu-central-1:1:table/t',
      }),
    ]),
    ['fn: statement Lazy allows wildcard action dynamodb:*; name each action the principal needs'],
  );
  t.deepEqual(
    await messages(iamNoWildcards, [
      rolePolicy({ Sid: 'Everywhere', Effect: 'Allow', Action: 'sns:Publish', Resource: '*' }),
    ]),
    ['fn: statement Everywhere allows sns:Publish on Resource "*"; scope it to the ARNs of this stack\'s resources'],
  );
  t.is(
    (
      await messages(iamNoWildcards, [
        {
          type: 'aws:iam/role:Role',
          name: 'r',
          inputs: { inlinePolicies: [{ policy: doc({ Effect: 'Allow', Action: '*', Resource: '*' }) }] },
        },
      ])
    ).length,
    2,
  );
});

test('iam-no-wildcards: only the listed actions AWS grants solely on "*" may have it, and each is justified', async (t) => {
  t.deepEqual(
    await messages(iamNoWildcards, [
      rolePolicy({ Sid: 'Eni', Effect: 'Allow', Action: Object.keys(WILDCARD_RESOURCE_ACTIONS), Resource: '*' }),
    ]),
    [],
  );
  t.deepEqual(
    await messages(iamNoWildcards, [
      rolePolicy({
        Sid: 'Mixed',
        Effect: 'Allow',
        Action: ['ec2:DescribeNetworkInterfaces', 's3:GetObject'],
        Resource: '*',
      }),
    ]),
    ['fn: statement Mixed allows s3:GetObject on Resource "*"; scope it to the ARNs of this stack\'s resources'],
  );
  for (const reason of Object.values(WILDCARD_RESOURCE_ACTIONS)) t.true(reason.length > 20);
});

test('iam-no-wildcards: a key policy may say Resource "*" and give the account kms:*, but no other kms:* statement', async (t) => {
  const key = (...s: object[]): PolicySubject => ({
    type: 'aws:kms/key:Key',
    name: 'key',
    inputs: { policy: doc(...s) },
  });
  t.deepEqual(
    await messages(iamNoWildcards, [
      key({
        Sid: 'EnableIamPolicies',
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::1:root' },
        Action: ['kms:*'],
        Resource: '*',
      }),
    ]),
    [],
  );
  t.deepEqual(
    await messages(iamNoWildcards, [
      key({
        Sid: 'Logs',
        Effect: 'Allow',
        Principal: { Service: 'logs.amazonaws.com' },
        Action: ['kms:*'],
        Resource: '*',
      }),
    ]),
    ['key: statement Logs allows wildcard action kms:*; name each action the principal needs'],
  );
});

test('stores-encrypted-with-stack-key: stores with the stack key pass; none or another key fails', async (t) => {
  const good: PolicySubject[] = [
    { type: 'aws:sqs/queue:Queue', name: 'q', inputs: { kmsMasterKeyId: KEY } },
    { type: 'aws:kinesis/stream:Stream', name: 's', inputs: { encryptionType: 'KMS', kmsKeyId: KEY } },
    {
      type: 'aws:dynamodb/table:Table',
      name: 't',
      inputs: { serverSideEncryption: { enabled: true, kmsKeyArn: KEY } },
    },
    {
      type: 'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration',
      name: 'b',
      inputs: { rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: KEY } }] },
    },
    { type: 'aws:iam/role:Role', name: 'not-a-store', inputs: {} },
  ];
  t.deepEqual(await messages(storesEncryptedWithStackKey, good, config), []);
  const bad: PolicySubject[] = [
    { type: 'aws:sqs/queue:Queue', name: 'q', inputs: {} },
    { type: 'aws:sns/topic:Topic', name: 'topic', inputs: { kmsMasterKeyId: OTHER_KEY } },
    { type: 'aws:kinesis/stream:Stream', name: 's', inputs: { encryptionType: 'NONE', kmsKeyId: KEY } },
    {
      type: 'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration',
      name: 'b',
      inputs: { rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }] },
    },
    { type: 'aws:cloudwatch/logGroup:LogGroup', name: 'lg', inputs: { retentionInDays: 7 } },
  ];
  const found = await runResourcePolicy(storesEncryptedWithStackKey, bad, config);
  t.deepEqual(
    found.map((v) => v.resource),
    ['q', 'topic', 's', 'b', 'lg'],
  );
  t.regex(
    found[1]?.message ?? '',
    /topic \(aws:sns\/topic:Topic\): encrypted with ".*someone-else", expected the stack key .*key\/stack; pass security.key.arn/,
  );
});

test('s3-no-public-access: a full public-access block passes; a gap, a public ACL or an open policy fails', async (t) => {
  const block = (off: string[]): PolicySubject => ({
    type: 'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock',
    name: 'pab',
    inputs: Object.fromEntries(
      ['blockPublicAcls', 'blockPublicPolicy', 'ignorePublicAcls', 'restrictPublicBuckets'].map((k) => [
        k,
        !off.includes(k),
      ]),
    ),
  });
  const tlsOnly: PolicySubject = {
    type: 'aws:s3/bucketPolicy:BucketPolicy',
    name: 'tls',
    inputs: { policy: doc({ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: 'arn:aws:s3:::b/*' }) },
  };
  t.deepEqual(await messages(s3NoPublicAccess, [block([]), tlsOnly]), []);
  t.deepEqual(await messages(s3NoPublicAccess, [block(['restrictPublicBuckets'])]), [
    'pab: public access block has restrictPublicBuckets off; set all four to true',
  ]);
  t.is(
    (
      await messages(s3NoPublicAccess, [
        { type: 'aws:s3/bucketAclV2:BucketAclV2', name: 'acl', inputs: { acl: 'public-read' } },
      ])
    ).length,
    1,
  );
  t.deepEqual(
    await messages(s3NoPublicAccess, [
      {
        type: 'aws:s3/bucketPolicy:BucketPolicy',
        name: 'open',
        inputs: {
          policy: doc({
            Sid: 'Web',
            Effect: 'Allow',
            Principal: { AWS: '*' },
            Action: 's3:GetObject',
            Resource: 'arn:aws:s3:::b/*',
          }),
        },
      },
    ]),
    ['open: statement Web allows everyone (Principal "*"); name the principals'],
  );
});

test('log-groups-have-retention: a retention passes; none fails', async (t) => {
  t.deepEqual(
    await messages(logGroupsHaveRetention, [
      { type: 'aws:cloudwatch/logGroup:LogGroup', name: 'lg', inputs: { retentionInDays: 14 } },
    ]),
    [],
  );
  t.deepEqual(
    await messages(logGroupsHaveRetention, [{ type: 'aws:cloudwatch/logGroup:LogGroup', name: 'lg', inputs: {} }]),
    ['lg: log group keeps logs forever (retentionInDays undefined); set factory:logRetentionDays'],
  );
});

test('iot-policy-uses-variables: the domain policy passes; a shared topic, a wildcard action or a foreign client id fails', async (t) => {
  const target = { region: 'eu-central-1', account: '123456789012' };
  const iot = (policy: object): PolicySubject => ({
    type: 'aws:iot/policy:Policy',
    name: 'p',
    inputs: { policy: JSON.stringify(policy) },
  });
  t.deepEqual(
    await messages(iotPolicyUsesVariables, [
      iot(iotPolicyDocument('machine', target)),
      iot(iotPolicyDocument('gateway', target)),
    ]),
    [],
  );
  const arn = 'arn:aws:iot:eu-central-1:123456789012';
  t.deepEqual(
    await messages(iotPolicyUsesVariables, [
      iot({ Statement: [{ Effect: 'Allow', Action: 'iot:Publish', Resource: [`${arn}:topic/dt/*`] }] }),
    ]),
    [
      `p: resource ${arn}:topic/dt/* names no \${iot:Connection.Thing.*} policy variable, so every device would share it`,
    ],
  );
  t.deepEqual(
    await messages(iotPolicyUsesVariables, [
      iot({
        Statement: [
          {
            Effect: 'Allow',
            Action: 'iot:*',
            Resource: [`${arn}:topic/dt/\${iot:Connection.Thing.Attributes[factoryId]}/*`],
          },
        ],
      }),
    ]),
    ['p: allows wildcard action iot:*; grant iot:Connect, iot:Publish, iot:Subscribe, iot:Receive by name'],
  );
  t.is(
    (
      await messages(iotPolicyUsesVariables, [
        iot({
          Statement: [
            {
              Effect: 'Allow',
              Action: 'iot:Connect',
              Resource: [`${arn}:client/gw-\${iot:Connection.Thing.Attributes[factoryId]}`],
            },
          ],
        }),
      ])
    ).length,
    1,
  );
});

test("iot-policy-uses-variables: a core device's literal policy from domain/policy passes; a wildcard, another core's topic or an extra action fails", async (t) => {
  const target = { region: 'eu-central-1', account: '123456789012' };
  const arn = 'arn:aws:iot:eu-central-1:123456789012';
  const iot = (policy: object): PolicySubject => ({
    type: 'aws:iot/policy:Policy',
    name: 'core',
    inputs: { policy: JSON.stringify(policy) },
  });
  const core = coreDevicePolicyDocument(
    { thingName: 'gw-f1', factoryId: 'f1' },
    target,
    'sf-dev-gateway-token-exchange',
  );
  t.deepEqual(await messages(iotPolicyUsesVariables, [iot(core)]), []);
  const withExtra = (...Statement: object[]) => iot({ ...core, Statement: [...core.Statement, ...Statement] });
  // AWS's own minimal example is broader than this core needs: `client/gw-f1*` reaches gw-f10's client id too.
  t.deepEqual(
    await messages(iotPolicyUsesVariables, [
      withExtra({
        Effect: 'Allow',
        Action: 'iot:Subscribe',
        Resource: [`${arn}:topicfilter/$aws/things/gw-f2/jobs/*`],
      }),
    ]),
    [
      `core: allows iot:Subscribe on ${arn}:topicfilter/$aws/things/gw-f2/jobs/*, beyond the policy of core device gw-f1 of factory f1: a core gets its own client ids, jobs, shadow and health topics, its factory's data topics, its role alias and the Greengrass data plane (coreDevicePolicyDocument)`,
    ],
  );
  t.is(
    (
      await messages(iotPolicyUsesVariables, [
        withExtra({ Effect: 'Allow', Action: 'iot:Publish', Resource: [`${arn}:topic/dt/f2/*/telemetry`] }),
      ])
    ).length,
    1,
    "another factory's data",
  );
  t.is(
    (await messages(iotPolicyUsesVariables, [withExtra({ Effect: 'Allow', Action: 'greengrass:*', Resource: ['*'] })]))
      .length,
    1,
    'greengrass:*',
  );
  t.is(
    (
      await messages(iotPolicyUsesVariables, [
        withExtra({ Effect: 'Allow', Action: 'greengrass:PutCertificateAuthorities', Resource: ['*'] }),
      ])
    ).length,
    1,
    'client device support it does not use',
  );
  t.is(
    (
      await messages(iotPolicyUsesVariables, [
        withExtra({ Effect: 'Allow', Action: 'iot:AssumeRoleWithCertificate', Resource: [`${arn}:rolealias/*`] }),
      ])
    ).length,
    1,
    'any role alias',
  );
  t.regex(
    (
      await messages(iotPolicyUsesVariables, [
        withExtra({ Effect: 'Allow', Action: 'iot:Connect', Resource: [`${arn}:client/gw-f1*`] }),
      ])
    ).join('\n'),
    /^core: a policy without thing policy variables must be one Greengrass core device's: iot:Connect on client\/<core> and client\/<core>#\* of exactly one core/,
    'client/gw-f1* names no single core',
  );
  t.is(
    (
      await messages(iotPolicyUsesVariables, [
        iot({ Statement: [{ Effect: 'Allow', Action: 'iot:Publish', Resource: [`${arn}:topic/dt/f1/*/telemetry`] }] }),
      ])
    ).length,
    1,
    'no core named at all',
  );
  // Granting less than the domain's policy is allowed.
  t.deepEqual(
    await messages(iotPolicyUsesVariables, [
      iot({ ...core, Statement: core.Statement.filter((s) => s.Action !== 'iot:Receive') }),
    ]),
    [],
  );
});

test('every-bucket-locked-down: a bucket without its block and encryption configuration is reported twice', async (t) => {
  const resources = [
    { type: 'aws:s3/bucket:Bucket', name: 'good', state: { bucket: 'good-b' } },
    { type: 'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock', name: 'good', state: { bucket: 'good-b' } },
    {
      type: 'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration',
      name: 'good',
      state: { bucket: 'good-b' },
    },
    { type: 'aws:s3/bucket:Bucket', name: 'bare', state: { bucket: 'bare-b' } },
  ];
  t.deepEqual(
    (await runStackPolicy(everyBucketLockedDown, resources)).map((v) => v.message),
    [
      'bare: bucket has no public-access block; create it with privateBucket()',
      'bare: bucket has no KMS encryption configuration; create it with privateBucket()',
    ],
  );
});

test('iam-wildcard-resources-scoped: the listed ARN patterns pass for their actions; a training-job prefix of our own, a stray action or an open ARN fails', async (t) => {
  const arn = 'arn:aws:sagemaker:eu-central-1:123456789012';
  const good = [
    rolePolicy({
      Sid: 'RunTraining',
      Effect: 'Allow',
      Action: ['sagemaker:CreateTrainingJob', 'sagemaker:DescribeTrainingJob'],
      Resource: `${arn}:training-job/pipelines-*`,
    }),
    rolePolicy({
      Sid: 'WriteOee',
      Effect: 'Allow',
      Action: ['iotsitewise:BatchPutAssetPropertyValue'],
      Resource: 'arn:aws:iotsitewise:eu-central-1:123456789012:asset/*',
    }),
    rolePolicy({
      Sid: 'Timers',
      Effect: 'Allow',
      Action: ['scheduler:CreateSchedule'],
      Resource: 'arn:aws:scheduler:eu-central-1:123456789012:schedule/smart-factory-dev-timers/*',
    }),
    rolePolicy({
      Sid: 'Logs',
      Effect: 'Allow',
      Action: ['logs:PutLogEvents'],
      Resource: 'arn:aws:logs:eu-central-1:123456789012:log-group:/aws/lambda/x:*',
    }),
    rolePolicy({
      Sid: 'Objects',
      Effect: 'Allow',
      Action: ['s3:GetObject'],
      Resource: 'arn:aws:s3:::archive/training/maintenance/*',
    }),
  ];
  t.deepEqual(await messages(iamWildcardResourcesScoped, good), []);
  // What SageMaker Pipelines never names its jobs: the role could not run the pipeline's training step.
  t.deepEqual(
    await messages(iamWildcardResourcesScoped, [
      rolePolicy({
        Sid: 'RunTraining',
        Effect: 'Allow',
        Action: ['sagemaker:CreateTrainingJob'],
        Resource: `${arn}:training-job/smart-factory-prod-maintenance*`,
      }),
    ]),
    [
      `fn: statement RunTraining allows sagemaker:CreateTrainingJob on ${arn}:training-job/smart-factory-prod-maintenance*; name the resources, or narrow the pattern to one listed in SCOPED_WILDCARD_RESOURCES`,
    ],
  );
  t.is(
    (
      await messages(iamWildcardResourcesScoped, [
        rolePolicy({
          Sid: 'Oee',
          Effect: 'Allow',
          Action: ['iotsitewise:DeleteAsset'],
          Resource: 'arn:aws:iotsitewise:eu-central-1:123456789012:asset/*',
        }),
      ])
    ).length,
    1,
  );
  t.is(
    (
      await messages(iamWildcardResourcesScoped, [
        rolePolicy({
          Sid: 'Any',
          Effect: 'Allow',
          Action: ['dynamodb:GetItem'],
          Resource: 'arn:aws:dynamodb:eu-central-1:123456789012:table/*',
        }),
      ])
    ).length,
    1,
  );
  for (const w of SCOPED_WILDCARD_RESOURCES) t.true(w.reason.length > 20);
});

test("iam-inline-policy-fits: a policy listing 150 asset ARNs is over IAM's 10,240 characters; one ARN pattern is not", async (t) => {
  const assets = Array.from(
    { length: 150 },
    (_, i) =>
      `arn:aws:iotsitewise:eu-central-1:123456789012:asset/${'0123abcd-'.repeat(4)}${String(i).padStart(4, '0')}`,
  );
  const [violation] = await messages(iamInlinePolicyFits, [
    rolePolicy({
      Sid: 'WriteOee',
      Effect: 'Allow',
      Action: ['iotsitewise:BatchPutAssetPropertyValue'],
      Resource: assets,
    }),
  ]);
  t.regex(
    violation ?? '',
    /^fn: inline policy is \d+ characters, IAM allows 10240; grant by an ARN pattern or a tag condition/,
  );
  t.deepEqual(
    await messages(iamInlinePolicyFits, [
      rolePolicy({
        Sid: 'WriteOee',
        Effect: 'Allow',
        Action: ['iotsitewise:BatchPutAssetPropertyValue'],
        Resource: 'arn:aws:iotsitewise:eu-central-1:123456789012:asset/*',
      }),
    ]),
    [],
  );
});

test('the pack is seven mandatory resource policies with distinct names', (t) => {
  t.deepEqual(
    RESOURCE_POLICIES.map((p) => p.name),
    [
      'iam-no-wildcards',
      'iam-wildcard-resources-scoped',
      'iam-inline-policy-fits',
      'stores-encrypted-with-stack-key',
      's3-no-public-access',
      'log-groups-have-retention',
      'iot-policy-uses-variables',
    ],
  );
  t.true(RESOURCE_POLICIES.every((p) => p.enforcementLevel === 'mandatory'));
});
