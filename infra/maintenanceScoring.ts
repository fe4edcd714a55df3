// Predictive maintenance in the cloud (factory:sagemaker): a SageMaker Pipeline that trains the failure
// model from a labelled feature table exported beside the S3 raw archive, and a serverless endpoint the
// process and timer functions score with (handlers/adapters/sagemakerRiskScorer.ts). The training image
// is SageMaker's built-in XGBoost: the same model family as the embedded trainer (gradient-boosted
// trees), no container of our own to build or scan, and the binary-classification JSON answer
// (`{"predictions":[{"score":…}]}`) the adapter reads.
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { FEATURE_NAMES } from '../domain/maintenance/features.ts';
import { assumedBy, KMS_DATA_ACTIONS, policyDocument } from './iamDocument.ts';
import type { BucketRef } from './privateBucket.ts';
import type { AwsTarget } from './security.ts';
import { resourceName, stackTags, type StackIdentity } from './tagging.ts';

/** Serverless variants take 1–6 GB in whole GB (ProductionVariantServerlessConfig). */
export const SERVERLESS_MEMORY_MB = [1024, 2048, 3072, 4096, 5120, 6144] as const;
export const XGBOOST_IMAGE_TAG = '1.7-1';
/** Where the pipeline reads its CSV (label, then FEATURE_NAMES) and writes its models, in the archive bucket. */
export const TRAINING_PREFIX = 'training/maintenance/';
export const MODELS_PREFIX = 'models/maintenance/';
/** The artifact the endpoint serves: a training run's model.tar.gz, copied here once it is approved. */
export const SERVED_MODEL_KEY = `${MODELS_PREFIX}served/model.tar.gz`;

export type MaintenanceScoringArgs = {
  readonly identity: StackIdentity;
  readonly target: AwsTarget;
  /** The stack key's ARN: what this component stores is encrypted with it. */
  readonly keyArn: pulumi.Input<string>;
  readonly archiveBucket: BucketRef;
  readonly vpcId: pulumi.Input<string>;
  readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /** The region's S3 service name: training reaches S3 through the VPC's gateway endpoint for it (security.ts). */
  readonly s3ServiceName: string;
  readonly memoryMb: (typeof SERVERLESS_MEMORY_MB)[number];
  readonly maxConcurrency: number;
  /**
   * factory:riskModelPublished: a trained model.tar.gz is at SERVED_MODEL_KEY. Only then are the Model,
   * endpoint configuration and endpoint created: SageMaker fails to create a Model whose artifact is missing.
   */
  readonly modelPublished: boolean;
};

/** SageMaker Pipelines names the training jobs of its Training steps `pipelines-<execution id>-<step>-<suffix>`. */
export const PIPELINE_TRAINING_JOB_PREFIX = 'pipelines-';

/** What serves the model, once one is published. */
export type RiskServing = {
  readonly model: aws.sagemaker.Model;
  readonly endpointConfiguration: aws.sagemaker.EndpointConfiguration;
  readonly endpoint: aws.sagemaker.Endpoint;
};

export class MaintenanceScoring extends pulumi.ComponentResource {
  readonly role: aws.iam.Role;
  readonly pipeline: aws.sagemaker.Pipeline;
  /** Present once factory:riskModelPublished is true. */
  readonly serving: RiskServing | undefined;

  constructor(name: string, args: MaintenanceScoringArgs, opts?: pulumi.ComponentResourceOptions) {
    super('smart-factory:maintenance:MaintenanceScoring', name, {}, opts);
    const { identity, keyArn, archiveBucket } = args;
    const { region, account } = args.target;
    const tags = stackTags(identity);
    const parent = { parent: this };
    const bucketArn = archiveBucket.arn;

    // Training runs in the private subnets; with no NAT its only way out is S3, through the gateway endpoint.
    const s3 = aws.ec2.getPrefixListOutput({ name: args.s3ServiceName }, parent);
    const trainingGroup = new aws.ec2.SecurityGroup(
      `${name}-training`,
      {
        vpcId: args.vpcId,
        description: 'SageMaker training: no inbound; outbound HTTPS to S3 only',
        egress: [
          { protocol: 'tcp', fromPort: 443, toPort: 443, prefixListIds: [s3.id], description: 'S3 gateway endpoint' },
        ],
        tags,
      },
      parent,
    );

    this.role = new aws.iam.Role(
      `${name}-role`,
      {
        assumeRolePolicy: assumedBy('sagemaker.amazonaws.com', { StringEquals: { 'aws:SourceAccount': account } }),
        tags,
      },
      parent,
    );
    // The pipeline names its training jobs; it is the only thing that starts jobs with this role.
    const trainingJobs = pulumi.interpolate`arn:aws:sagemaker:${region}:${account}:training-job/${PIPELINE_TRAINING_JOB_PREFIX}*`;
    const policy = new aws.iam.RolePolicy(
      `${name}-role`,
      {
        role: this.role.id,
        policy: policyDocument([
          { Sid: 'ListArchive', Action: ['s3:ListBucket'], Resource: bucketArn },
          // The raw archive is the source the training table is exported from; the table and models sit beside it.
          {
            Sid: 'ReadTrainingData',
            Action: ['s3:GetObject'],
            Resource: [
              pulumi.interpolate`${bucketArn}/raw/*`,
              pulumi.interpolate`${bucketArn}/${TRAINING_PREFIX}*`,
              pulumi.interpolate`${bucketArn}/${MODELS_PREFIX}*`,
            ],
          },
          {
            Sid: 'WriteModels',
            Action: ['s3:PutObject'],
            Resource: pulumi.interpolate`${bucketArn}/${MODELS_PREFIX}*`,
          },
          { Sid: 'StackKey', Action: [...KMS_DATA_ACTIONS, 'kms:CreateGrant', 'kms:DescribeKey'], Resource: keyArn },
          // The pipeline starts training jobs under this role; the job ENIs are the only "*" (AWS allows nothing narrower).
          {
            Sid: 'RunTraining',
            Action: [
              'sagemaker:CreateTrainingJob',
              'sagemaker:DescribeTrainingJob',
              'sagemaker:StopTrainingJob',
              'sagemaker:AddTags',
            ],
            Resource: trainingJobs,
          },
          { Sid: 'PassOwnRole', Action: ['iam:PassRole'], Resource: this.role.arn },
          {
            Sid: 'TrainingNetworkInterfaces',
            Action: [
              'ec2:CreateNetworkInterface',
              'ec2:DescribeNetworkInterfaces',
              'ec2:DeleteNetworkInterface',
              'ec2:CreateNetworkInterfacePermission',
              'ec2:DescribeVpcs',
              'ec2:DescribeSubnets',
              'ec2:DescribeSecurityGroups',
              'ec2:DescribeDhcpOptions',
            ],
            Resource: '*',
          },
          {
            Sid: 'TrainingLogs',
            Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
            Resource: pulumi.interpolate`arn:aws:logs:${region}:${account}:log-group:/aws/sagemaker/*`,
          },
        ]),
      },
      parent,
    );

    const image = aws.sagemaker.getPrebuiltEcrImageOutput(
      { repositoryName: 'sagemaker-xgboost', imageTag: XGBOOST_IMAGE_TAG, region },
      parent,
    ).registryPath;
    const s3Uri = (path: string) => pulumi.interpolate`s3://${archiveBucket.name}/${path}`;

    this.pipeline = new aws.sagemaker.Pipeline(
      `${name}-training`,
      {
        pipelineName: resourceName(identity, 'maintenance-training'),
        pipelineDisplayName: resourceName(identity, 'maintenance-training'),
        pipelineDescription: `Trains the failure model (XGBoost, binary:logistic) on ${TRAINING_PREFIX}: CSV rows label,${FEATURE_NAMES.join(',')}`,
        roleArn: this.role.arn,
        pipelineDefinition: pulumi.jsonStringify({
          Version: '2020-12-01',
          Metadata: {},
          Parameters: [{ Name: 'TrainingData', Type: 'String', DefaultValue: s3Uri(TRAINING_PREFIX) }],
          Steps: [
            {
              Name: 'TrainFailureModel',
              Type: 'Training',
              Arguments: {
                AlgorithmSpecification: { TrainingImage: image, TrainingInputMode: 'File' },
                // The embedded trainer's defaults (domain/maintenance/boostedTrees.ts), in XGBoost's names.
                HyperParameters: {
                  objective: 'binary:logistic',
                  eval_metric: 'auc',
                  num_round: '200',
                  max_depth: '4',
                  eta: '0.1',
                },
                InputDataConfig: [
                  {
                    ChannelName: 'train',
                    ContentType: 'text/csv',
                    DataSource: {
                      S3DataSource: {
                        S3DataType: 'S3Prefix',
                        S3Uri: { Get: 'Parameters.TrainingData' },
                        S3DataDistributionType: 'FullyReplicated',
                      },
                    },
                  },
                ],
                OutputDataConfig: { S3OutputPath: s3Uri(MODELS_PREFIX), KmsKeyId: keyArn },
                ResourceConfig: {
                  InstanceType: 'ml.m5.large',
                  InstanceCount: 1,
                  VolumeSizeInGB: 10,
                  VolumeKmsKeyId: keyArn,
                },
                RoleArn: this.role.arn,
                StoppingCondition: { MaxRuntimeInSeconds: 3600 },
                VpcConfig: { SecurityGroupIds: [trainingGroup.id], Subnets: args.subnetIds },
                EnableNetworkIsolation: true,
              },
            },
          ],
        }),
        tags,
      },
      { parent: this, dependsOn: [policy] },
    );

    this.serving = undefined;
    if (args.modelPublished) {
      // A serverless variant takes no VPC configuration and no network isolation (SageMaker's serverless
      // feature exclusions); callers reach it through the sagemaker.runtime interface endpoint.
      const model = new aws.sagemaker.Model(
        `${name}-model`,
        {
          name: resourceName(identity, 'maintenance'),
          executionRoleArn: this.role.arn,
          primaryContainer: { image, modelDataUrl: s3Uri(SERVED_MODEL_KEY) },
          tags,
        },
        { parent: this, dependsOn: [policy] },
      );

      const endpointConfiguration = new aws.sagemaker.EndpointConfiguration(
        `${name}-endpoint`,
        {
          name: resourceName(identity, 'maintenance'),
          kmsKeyArn: keyArn,
          productionVariants: [
            {
              variantName: 'AllTraffic',
              modelName: model.name,
              serverlessConfig: { memorySizeInMb: args.memoryMb, maxConcurrency: args.maxConcurrency },
            },
          ],
          tags,
        },
        parent,
      );

      const endpoint = new aws.sagemaker.Endpoint(
        `${name}-endpoint`,
        {
          name: resourceName(identity, 'maintenance'),
          endpointConfigName: endpointConfiguration.name,
          tags,
        },
        parent,
      );
      this.serving = { model, endpointConfiguration, endpoint };
    }

    this.registerOutputs({ endpointName: this.serving?.endpoint.name, pipelineName: this.pipeline.pipelineName });
  }
}
