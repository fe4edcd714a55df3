// The policy pack: rules every resource of the stack must keep, written as @pulumi/policy
// ResourceValidationPolicy / StackValidationPolicy values. `pulumi preview --policy-pack` runs them
// in the engine; policies.test.ts and the stack tests run the same objects against mocked resources
// (PolicyPack's constructor needs the engine, so the pack is built only by the pack's entry point).
import type {
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationPolicy,
} from '@pulumi/policy';
import { coreDevicePolicyDocument } from '../domain/policy/iotPolicy.ts';

/** Policy config: the ARNs of the stack's customer-managed key(s); every store must use one. */
export type EncryptionPolicyConfig = { readonly stackKeyArns: readonly string[] };

type Props = Record<string, any>;
type PolicyStatement = {
  Sid?: string;
  Effect?: string;
  Action?: string | readonly string[];
  Resource?: string | readonly string[];
  Principal?: unknown;
};

const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]);

const parseDocument = (document: unknown): PolicyStatement[] => {
  const parsed: unknown = typeof document === 'string' ? JSON.parse(document) : document;
  return asList((parsed as { Statement?: unknown } | undefined)?.Statement) as PolicyStatement[];
};

/**
 * Actions that AWS lets be granted only on `Resource: "*"` (the service has no resource-level
 * permission for them), with the reason each is here.
 */
export const WILDCARD_RESOURCE_ACTIONS: Readonly<Record<string, string>> = {
  'ec2:CreateNetworkInterface':
    'Lambda creates the ENIs of a VPC function; AWSLambdaVPCAccessExecutionRole grants the ENI actions on "*"',
  // ec2:DescribeSubnets is listed below: AWSLambdaVPCAccessExecutionRole grants it to VPC functions too.
  'ec2:DescribeNetworkInterfaces': 'ec2:Describe* actions support no resource-level permissions',
  'ec2:DeleteNetworkInterface': 'Lambda deletes the ENIs of a VPC function (AWSLambdaVPCAccessExecutionRole)',
  'ec2:AssignPrivateIpAddresses': 'Lambda manages the ENIs of a VPC function (AWSLambdaVPCAccessExecutionRole)',
  'ec2:UnassignPrivateIpAddresses': 'Lambda manages the ENIs of a VPC function (AWSLambdaVPCAccessExecutionRole)',
  'ec2:CreateNetworkInterfacePermission':
    'SageMaker attaches a VPC training job\'s ENIs; AWS documents the VPC actions of a training role on "*" (Give SageMaker Access to Resources in your Amazon VPC)',
  'ec2:DescribeVpcs': 'ec2:Describe* actions support no resource-level permissions',
  'ec2:DescribeSubnets': 'ec2:Describe* actions support no resource-level permissions',
  'ec2:DescribeSecurityGroups': 'ec2:Describe* actions support no resource-level permissions',
  'ec2:DescribeDhcpOptions': 'ec2:Describe* actions support no resource-level permissions',
};

/** Wildcards allowed in a KMS key policy, and why. */
export const KEY_POLICY_EXCEPTIONS = {
  resource: 'In a key policy, Resource "*" means "this key"; nothing narrower is accepted (AWS KMS key policies)',
  accountStatement:
    'Sid EnableIamPolicies: AWS default key-policy statement giving the account root kms:*, so IAM policies can grant the key and it cannot become unmanageable',
} as const;

const IAM_DOCUMENTS: Readonly<Record<string, (props: Props) => unknown[]>> = {
  'aws:iam/rolePolicy:RolePolicy': (p) => [p.policy],
  'aws:iam/policy:Policy': (p) => [p.policy],
  'aws:iam/role:Role': (p) => asList(p.inlinePolicies).map((i) => (i as Props).policy),
  'aws:kms/key:Key': (p) => [p.policy],
  'aws:s3/bucketPolicy:BucketPolicy': (p) => [p.policy],
};

export const iamNoWildcards: ResourceValidationPolicy = {
  name: 'iam-no-wildcards',
  description:
    'No IAM statement allows a wildcard action or Resource "*", except the listed actions AWS permits only on "*" and the key policy.',
  enforcementLevel: 'mandatory',
  validateResource: (args: ResourceValidationArgs, report: ReportViolation) => {
    const documents = IAM_DOCUMENTS[args.type];
    if (documents === undefined) return;
    const isKeyPolicy = args.type === 'aws:kms/key:Key';
    for (const document of documents(args.props)) {
      if (document === undefined) continue;
      for (const statement of parseDocument(document)) {
        // A Deny narrows access whatever its wildcards (the TLS-only bucket policy denies s3:*).
        if (statement.Effect === 'Deny') continue;
        const actions = asList(statement.Action) as string[];
        const sid = statement.Sid ?? '(no Sid)';
        for (const action of actions.filter((a) => a.includes('*'))) {
          if (isKeyPolicy && statement.Sid === 'EnableIamPolicies') continue;
          report(
            `${args.name}: statement ${sid} allows wildcard action ${action}; name each action the principal needs`,
          );
        }
        if ((asList(statement.Resource) as string[]).includes('*') && !isKeyPolicy) {
          const unjustified = actions.filter((a) => WILDCARD_RESOURCE_ACTIONS[a] === undefined);
          if (unjustified.length > 0)
            report(
              `${args.name}: statement ${sid} allows ${unjustified.join(', ')} on Resource "*"; scope it to the ARNs of this stack's resources`,
            );
        }
      }
    }
  },
};

/**
 * ARN patterns a statement may end in `*` with, each for the actions it is meant for and why the
 * pattern is as narrow as the resource allows. Any other ARN wildcard is reported.
 */
export const SCOPED_WILDCARD_RESOURCES: readonly {
  readonly resource: RegExp;
  readonly actions: RegExp;
  readonly reason: string;
}[] = [
  {
    resource: /^arn:aws:s3:::[^/*]+\/[^*]*\*$/,
    actions: /^s3:(GetObject|PutObject|AbortMultipartUpload)$/,
    reason: "the objects under one key prefix of one of the stack's buckets",
  },
  {
    resource: /^arn:aws:logs:[^:]+:\d{12}:log-group:[^*]+:\*$/,
    actions: /^logs:(CreateLogStream|PutLogEvents)$/,
    reason: 'the log streams of one log group',
  },
  {
    resource: /^arn:aws:logs:[^:]+:\d{12}:log-group:\/aws\/sagemaker\/\*$/,
    actions: /^logs:(CreateLogGroup|CreateLogStream|PutLogEvents)$/,
    reason: 'SageMaker writes training logs to log groups it names under /aws/sagemaker/',
  },
  {
    resource: /^arn:aws:scheduler:[^:]+:\d{12}:schedule\/[^/*]+\/\*$/,
    actions: /^scheduler:/,
    reason: "the schedules of the stack's own schedule group (one per machine timer)",
  },
  {
    resource: /^arn:aws:sagemaker:[^:]+:\d{12}:training-job\/pipelines-\*$/,
    actions: /^sagemaker:(CreateTrainingJob|DescribeTrainingJob|StopTrainingJob|AddTags)$/,
    reason: 'SageMaker Pipelines names the training jobs it starts pipelines-<execution>-<step>-<suffix>',
  },
  {
    resource: /^arn:aws:iotsitewise:[^:]+:\d{12}:asset\/\*$/,
    actions: /^iotsitewise:BatchPutAssetPropertyValue$/,
    reason:
      "every machine asset by one pattern: a list of asset ARNs outgrows IAM's 10,240-character inline policy limit past about a hundred machines",
  },
];

export const iamWildcardResourcesScoped: ResourceValidationPolicy = {
  name: 'iam-wildcard-resources-scoped',
  description:
    "An ARN ending in a wildcard is one of the listed patterns (a key prefix, a log group's streams, the stack's schedule group, Pipelines training jobs, SiteWise assets), for the actions it is meant for.",
  enforcementLevel: 'mandatory',
  validateResource: (args: ResourceValidationArgs, report: ReportViolation) => {
    const documents = IAM_DOCUMENTS[args.type];
    if (documents === undefined || args.type === 'aws:kms/key:Key') return;
    for (const document of documents(args.props)) {
      if (document === undefined) continue;
      for (const statement of parseDocument(document)) {
        if (statement.Effect === 'Deny') continue;
        const actions = asList(statement.Action) as string[];
        for (const resource of (asList(statement.Resource) as string[]).filter((r) => r !== '*' && r.includes('*'))) {
          const allowed = SCOPED_WILDCARD_RESOURCES.find((w) => w.resource.test(resource));
          const stray = allowed === undefined ? actions : actions.filter((a) => !allowed.actions.test(a));
          if (stray.length > 0)
            report(
              `${args.name}: statement ${statement.Sid ?? '(no Sid)'} allows ${stray.join(', ')} on ${resource}; name the resources, or narrow the pattern to one listed in SCOPED_WILDCARD_RESOURCES`,
            );
        }
      }
    }
  },
};

/** IAM's quota for a role's inline policies: 10,240 characters, whitespace not counted. */
export const INLINE_ROLE_POLICY_LIMIT = 10_240;

export const iamInlinePolicyFits: ResourceValidationPolicy = {
  name: 'iam-inline-policy-fits',
  description: `An inline role policy stays within IAM's ${INLINE_ROLE_POLICY_LIMIT} characters: one that grows with the site stops pulumi up at some plant size.`,
  enforcementLevel: 'mandatory',
  validateResource: (args: ResourceValidationArgs, report: ReportViolation) => {
    if (args.type !== 'aws:iam/rolePolicy:RolePolicy' || typeof args.props.policy !== 'string') return;
    const size = args.props.policy.replace(/\s/g, '').length;
    if (size > INLINE_ROLE_POLICY_LIMIT)
      report(
        `${args.name}: inline policy is ${size} characters, IAM allows ${INLINE_ROLE_POLICY_LIMIT}; grant by an ARN pattern or a tag condition instead of listing every resource`,
      );
  },
};

const keyOf = (props: Props, type: string): unknown[] => {
  switch (type) {
    case 'aws:kinesis/stream:Stream':
      return [props.encryptionType === 'KMS' ? props.kmsKeyId : undefined];
    case 'aws:dynamodb/table:Table':
      return [props.serverSideEncryption?.enabled === true ? props.serverSideEncryption.kmsKeyArn : undefined];
    case 'aws:sqs/queue:Queue':
      return [props.kmsMasterKeyId];
    case 'aws:sns/topic:Topic':
      return [props.kmsMasterKeyId];
    case 'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration':
      return asList(props.rules).map((r) =>
        (r as Props).applyServerSideEncryptionByDefault?.sseAlgorithm === 'aws:kms'
          ? (r as Props).applyServerSideEncryptionByDefault.kmsMasterKeyId
          : undefined,
      );
    case 'aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream':
      return [
        props.serverSideEncryption?.enabled === true && props.serverSideEncryption.keyType === 'CUSTOMER_MANAGED_CMK'
          ? props.serverSideEncryption.keyArn
          : undefined,
        props.extendedS3Configuration?.kmsKeyArn,
      ];
    case 'aws:timestreamwrite/database:Database':
      return [props.kmsKeyId];
    case 'aws:cloudwatch/logGroup:LogGroup':
      return [props.kmsKeyId];
    case 'aws:lambda/function:Function':
      return [props.kmsKeyArn];
    case 'aws:sagemaker/domain:Domain':
      return [props.kmsKeyId];
    case 'aws:sagemaker/endpointConfiguration:EndpointConfiguration':
      return [props.kmsKeyArn];
    case 'aws:s3/bucketObjectv2:BucketObjectv2':
      return [props.kmsKeyId];
    case 'aws:secretsmanager/secret:Secret':
      return [props.kmsKeyId];
    default:
      return [];
  }
};

/** Stores that take no customer-managed key, and why they are allowed. */
export const ENCRYPTION_EXCEPTIONS: Readonly<Record<string, string>> = {
  'aws:timestreaminfluxdb/dbInstance:DbInstance':
    'Timestream for InfluxDB encrypts storage with an AWS-owned key and takes no customer key',
  'aws:glue/catalogTable:CatalogTable': "Glue Data Catalog encryption is an account-wide setting, not a table's",
};

export const storesEncryptedWithStackKey: ResourceValidationPolicy = {
  name: 'stores-encrypted-with-stack-key',
  description: 'Every store that supports a customer-managed KMS key is encrypted with the stack key.',
  enforcementLevel: 'mandatory',
  configSchema: { properties: { stackKeyArns: { type: 'array', items: { type: 'string' } } } },
  validateResource: (args: ResourceValidationArgs, report: ReportViolation) => {
    const keys = keyOf(args.props, args.type);
    if (keys.length === 0) return;
    const { stackKeyArns } = args.getConfig<EncryptionPolicyConfig>();
    for (const key of keys) {
      if (typeof key !== 'string' || !stackKeyArns.includes(key)) {
        report(
          `${args.name} (${args.type}): encrypted with ${key === undefined ? 'no customer-managed key' : JSON.stringify(key)}, expected the stack key ${stackKeyArns.join(' or ')}; pass security.key.arn`,
        );
      }
    }
  },
};

const PUBLIC_ACLS = ['public-read', 'public-read-write', 'authenticated-read'];
const isEveryone = (principal: unknown): boolean =>
  principal === '*' ||
  (typeof principal === 'object' && principal !== null && asList((principal as Props).AWS).includes('*'));

export const s3NoPublicAccess: ResourceValidationPolicy = {
  name: 's3-no-public-access',
  description:
    'No bucket is public: all four public-access blocks on, no public ACL, no bucket policy allowing everyone.',
  enforcementLevel: 'mandatory',
  validateResource: (args: ResourceValidationArgs, report: ReportViolation) => {
    const p = args.props;
    if (args.type === 'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock') {
      const off = ['blockPublicAcls', 'blockPublicPolicy', 'ignorePublicAcls', 'restrictPublicBuckets'].filter(
        (k) => p[k] !== true,
      );
      if (off.length > 0) report(`${args.name}: public access block has ${off.join(', ')} off; set all four to true`);
    }
    if (
      ['aws:s3/bucket:Bucket', 'aws:s3/bucketAclV2:BucketAclV2', 'aws:s3/bucketAcl:BucketAcl'].includes(args.type) &&
      PUBLIC_ACLS.includes(p.acl)
    ) {
      report(`${args.name}: ACL ${p.acl} makes the bucket public; use no ACL (BucketOwnerEnforced)`);
    }
    if (args.type === 'aws:s3/bucketPolicy:BucketPolicy') {
      for (const s of parseDocument(p.policy)) {
        if (s.Effect !== 'Deny' && isEveryone(s.Principal))
          report(`${args.name}: statement ${s.Sid ?? '(no Sid)'} allows everyone (Principal "*"); name the principals`);
      }
    }
  },
};

export const logGroupsHaveRetention: ResourceValidationPolicy = {
  name: 'log-groups-have-retention',
  description: 'Every CloudWatch log group expires its logs (retentionInDays set).',
  enforcementLevel: 'mandatory',
  validateResource: (args: ResourceValidationArgs, report: ReportViolation) => {
    if (args.type !== 'aws:cloudwatch/logGroup:LogGroup') return;
    const days = args.props.retentionInDays;
    if (!(typeof days === 'number' && Number.isInteger(days) && days > 0))
      report(
        `${args.name}: log group keeps logs forever (retentionInDays ${JSON.stringify(days)}); set factory:logRetentionDays`,
      );
  },
};

const THING_VARIABLE = '${iot:Connection.Thing.';
const DEVICE_ACTIONS = ['iot:Connect', 'iot:Publish', 'iot:Subscribe', 'iot:Receive'];
const OWN_CLIENT = ':client/${iot:Connection.Thing.ThingName}';

const grantsOf = (statements: readonly PolicyStatement[]): [string, string][] =>
  statements
    .filter((s) => s.Effect !== 'Deny')
    .flatMap((s) =>
      (asList(s.Action) as string[]).flatMap((action) =>
        (asList(s.Resource) as string[]).map((resource): [string, string] => [action, resource]),
      ),
    );

/** A machine's (or any device's) policy: only its own client id and topics, through thing policy variables. */
const validateDevicePolicy = (name: string, statements: readonly PolicyStatement[], report: ReportViolation): void => {
  for (const s of statements) {
    if (s.Effect === 'Deny') continue;
    const actions = asList(s.Action) as string[];
    for (const action of actions) {
      if (action.includes('*'))
        report(
          `${name}: allows wildcard action ${action}; grant iot:Connect, iot:Publish, iot:Subscribe, iot:Receive by name`,
        );
      else if (!DEVICE_ACTIONS.includes(action)) report(`${name}: allows ${action}, which a device does not need`);
    }
    for (const resource of asList(s.Resource) as string[]) {
      if (!resource.includes(THING_VARIABLE))
        report(
          `${name}: resource ${resource} names no \${iot:Connection.Thing.*} policy variable, so every device would share it`,
        );
      if (actions.includes('iot:Connect') && !resource.endsWith(OWN_CLIENT) && !resource.endsWith(`${OWN_CLIENT}#*`))
        report(
          `${name}: iot:Connect on ${resource}; a device may connect only as its own thing (client/\${iot:Connection.Thing.ThingName})`,
        );
    }
  }
};

const CORE_CLIENT = /^arn:aws:iot:([^:]+):(\d+):client\/([a-zA-Z0-9:_-]+)$/;

/**
 * A Greengrass core device's policy (literal names: AWS supports no thing policy variables there):
 * every grant must be one that domain/policy's coreDevicePolicyDocument gives the core it connects as,
 * for its factory and role alias. Less is allowed; nothing else is.
 */
const validateCorePolicy = (name: string, statements: readonly PolicyStatement[], report: ReportViolation): void => {
  const grants = grantsOf(statements);
  for (const [action] of grants)
    if (action.includes('*')) report(`${name}: allows wildcard action ${action}; name each action a core device needs`);
  const clients = [
    ...new Set(
      grants
        .filter(([action]) => action === 'iot:Connect')
        .map(([, resource]) => CORE_CLIENT.exec(resource.replace(/#\*$/, ''))),
    ),
  ];
  const cores = new Set(clients.map((match) => match?.[3]));
  const match = clients[0];
  // No client id at all: neither a device's policy nor a core's; say what a device's would need.
  if (clients.length === 0) return validateDevicePolicy(name, statements, report);
  if (match === undefined || match === null || cores.size !== 1) {
    report(
      `${name}: a policy without thing policy variables must be one Greengrass core device's: iot:Connect on client/<core> and client/<core>#* of exactly one core, got ${JSON.stringify(grants.filter(([a]) => a === 'iot:Connect').map(([, r]) => r))}`,
    );
    return;
  }
  const [, region = '', account = '', core = ''] = match;
  const factoryId =
    grants.map(([, resource]) => /:topic\/dt\/([^/]+)\//.exec(resource)?.[1]).find((f) => f !== undefined) ?? '';
  const alias =
    grants
      .map(([action, resource]) =>
        action === 'iot:AssumeRoleWithCertificate' ? /:rolealias\/(.+)$/.exec(resource)?.[1] : undefined,
      )
      .find((a) => a !== undefined) ?? '';
  const expected = new Set(
    grantsOf(coreDevicePolicyDocument({ thingName: core, factoryId }, { region, account }, alias).Statement).map(
      ([a, r]) => `${a} ${r}`,
    ),
  );
  for (const [action, resource] of grants) {
    if (!action.includes('*') && !expected.has(`${action} ${resource}`)) {
      report(
        `${name}: allows ${action} on ${resource}, beyond the policy of core device ${core} of factory ${factoryId || '(none)'}: a core gets its own client ids, jobs, shadow and health topics, its factory's data topics, its role alias and the Greengrass data plane (coreDevicePolicyDocument)`,
      );
    }
  }
};

export const iotPolicyUsesVariables: ResourceValidationPolicy = {
  name: 'iot-policy-uses-variables',
  description:
    "Every IoT policy grants devices only their own client id and topics, through thing-name and thing-attribute policy variables; a Greengrass core device's policy (literal names) grants exactly what domain/policy gives that core.",
  enforcementLevel: 'mandatory',
  validateResource: (args: ResourceValidationArgs, report: ReportViolation) => {
    if (args.type !== 'aws:iot/policy:Policy') return;
    const statements = parseDocument(args.props.policy);
    const usesVariables = grantsOf(statements).some(([, resource]) => resource.includes(THING_VARIABLE));
    if (usesVariables) validateDevicePolicy(args.name, statements, report);
    else validateCorePolicy(args.name, statements, report);
  },
};

export const RESOURCE_POLICIES: readonly ResourceValidationPolicy[] = [
  iamNoWildcards,
  iamWildcardResourcesScoped,
  iamInlinePolicyFits,
  storesEncryptedWithStackKey,
  s3NoPublicAccess,
  logGroupsHaveRetention,
  iotPolicyUsesVariables,
];

export const everyBucketLockedDown: StackValidationPolicy = {
  name: 'every-bucket-locked-down',
  description: 'Every bucket has its own public-access block and stack-key encryption configuration.',
  enforcementLevel: 'mandatory',
  validateStack: (args, report) => {
    const about = (type: string) =>
      new Set(args.resources.filter((r) => r.type === type).map((r) => r.props.bucket as unknown));
    const blocked = about('aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock');
    const encrypted = about('aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration');
    for (const bucket of args.resources.filter((r) => r.type === 'aws:s3/bucket:Bucket')) {
      if (!blocked.has(bucket.props.bucket))
        report(`${bucket.name}: bucket has no public-access block; create it with privateBucket()`);
      if (!encrypted.has(bucket.props.bucket))
        report(`${bucket.name}: bucket has no KMS encryption configuration; create it with privateBucket()`);
    }
  },
};
