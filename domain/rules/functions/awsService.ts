// The IoT SQL functions that call an AWS service. They are recognised, so that a rule using them parses
// and the rest of it can be checked, but evaluating one fails the rule with the service it would call.
import { RuleFailure } from '../evaluationContext.ts';
import { define, type SqlFunction } from './sqlFunction.ts';

const remote = (
  signature: string,
  service: string,
  summary: string,
  counts?: { minArgs: number; maxArgs: number },
): SqlFunction => {
  const name = signature.slice(0, signature.indexOf('('));
  return define(
    'AWS service',
    signature,
    summary,
    () => {
      throw new RuleFailure(`not available locally: ${name} calls ${service}`);
    },
    { service, ...counts },
  );
};

export const AWS_SERVICE_FUNCTIONS: readonly SqlFunction[] = [
  remote('aws_lambda(functionArn, inputJson)', 'AWS Lambda', 'the JSON a Lambda function returns'),
  remote(
    'get_dynamodb(tableName, partitionKeyName, partitionKeyValue[, sortKeyName, sortKeyValue], roleArn)',
    'Amazon DynamoDB',
    'an item of a DynamoDB table',
    { minArgs: 4, maxArgs: 6 },
  ),
  remote('get_registry_data(registryAPI, thingName, roleArn)', 'the AWS IoT registry', "a thing's registry data"),
  remote('get_secret(secretId, secretType[, key], roleArn)', 'AWS Secrets Manager', 'a secret value', {
    minArgs: 3,
    maxArgs: 4,
  }),
  remote(
    'get_thing_shadow(thingName[, shadowName], roleArn)',
    'the AWS IoT Device Shadow service',
    "a thing's shadow document",
    { minArgs: 2, maxArgs: 3 },
  ),
  remote(
    'machinelearning_predict(modelId, roleArn, record)',
    'Amazon Machine Learning',
    'a prediction of an Amazon ML model',
  ),
];
