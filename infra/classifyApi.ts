// Reason coding after the fact in the cloud: `POST /classify` on an API Gateway HTTP API whose route
// takes IAM authorization (a SigV4-signed request from a principal allowed execute-api:Invoke on it),
// proxied to the classify function (handlers/classify), which appends the decision to the machine's
// stream in the event table — the same decision `factory downtime classify` appends locally. The
// function's role may read and commit machine streams (GetItem, Query; PutItem and ConditionCheckItem
// in one TransactWriteItems) on the event table only.
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { resourceName, stackTags, type StackIdentity } from './tagging.ts';
import { vpcFunction } from './vpcFunction.ts';

export const CLASSIFY_FUNCTION = 'classify';
export const CLASSIFY_ROUTE = 'POST /classify';

export type ClassifyApiArgs = {
  readonly identity: StackIdentity;
  readonly keyArn: pulumi.Input<string>;
  readonly eventTableArn: pulumi.Input<string>;
  readonly eventTableName: pulumi.Input<string>;
  readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  readonly securityGroupId: pulumi.Input<string>;
  readonly lambdaAssetDir: string;
  readonly logRetentionDays: number;
};

export class ClassifyApi extends pulumi.ComponentResource {
  readonly api: aws.apigatewayv2.Api;
  readonly route: aws.apigatewayv2.Route;
  readonly function: aws.lambda.Function;
  /** The ARN a caller's IAM policy allows execute-api:Invoke on, to classify stops. */
  readonly routeArn: pulumi.Output<string>;
  readonly url: pulumi.Output<string>;

  constructor(name: string, args: ClassifyApiArgs, opts?: pulumi.ComponentResourceOptions) {
    super('smart-factory:downtime:ClassifyApi', name, {}, opts);
    const { identity, keyArn } = args;
    const tags = stackTags(identity);
    const parent = { parent: this };
    this.function = vpcFunction(
      `${name}-function`,
      {
        identity,
        keyArn,
        bundle: CLASSIFY_FUNCTION,
        lambdaAssetDir: args.lambdaAssetDir,
        logRetentionDays: args.logRetentionDays,
        // In the VPC like the process function: DynamoDB through the stack's gateway endpoint.
        subnetIds: args.subnetIds,
        securityGroupId: args.securityGroupId,
        timeoutS: 10,
        environment: { EVENT_TABLE: args.eventTableName },
        // The event table is encrypted with the stack key (granted to every such function).
        statements: [
          {
            Sid: 'ClassifyStops',
            Action: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:ConditionCheckItem'],
            Resource: args.eventTableArn,
          },
        ],
      },
      this,
    ).function;

    this.api = new aws.apigatewayv2.Api(
      `${name}-api`,
      { name: resourceName(identity, 'classify-api'), protocolType: 'HTTP', tags },
      parent,
    );
    const integration = new aws.apigatewayv2.Integration(
      `${name}-integration`,
      {
        apiId: this.api.id,
        integrationType: 'AWS_PROXY',
        integrationUri: this.function.invokeArn,
        payloadFormatVersion: '2.0',
      },
      parent,
    );
    // IAM authorization: API Gateway invokes the route only for a SigV4-signed request whose
    // principal is allowed execute-api:Invoke on it (HTTP APIs take no resource policy).
    this.route = new aws.apigatewayv2.Route(
      `${name}-route`,
      {
        apiId: this.api.id,
        routeKey: CLASSIFY_ROUTE,
        authorizationType: 'AWS_IAM',
        target: pulumi.interpolate`integrations/${integration.id}`,
      },
      parent,
    );
    const stage = new aws.apigatewayv2.Stage(
      `${name}-stage`,
      { apiId: this.api.id, name: '$default', autoDeploy: true, tags },
      { parent: this, dependsOn: [this.route] },
    );
    new aws.lambda.Permission(
      `${name}-invoke`,
      {
        action: 'lambda:InvokeFunction',
        function: this.function.name,
        principal: 'apigateway.amazonaws.com',
        // This API's route only.
        sourceArn: pulumi.interpolate`${this.api.executionArn}/*/POST/classify`,
      },
      parent,
    );
    this.routeArn = pulumi.interpolate`${this.api.executionArn}/${stage.name}/POST/classify`;
    this.url = pulumi.interpolate`${this.api.apiEndpoint}/classify`;

    this.registerOutputs({ url: this.url, routeArn: this.routeArn, functionName: this.function.name });
  }
}
