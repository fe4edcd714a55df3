// THE topic rules the product deploys: infra creates them in IoT Core, the local stack evaluates
// them with domain/rules (docs/iot-sql.md). One definition, so a rule gives the same output in both.

export type TopicRuleDefinition = {
  /** AWS rule names match ^[a-zA-Z0-9_]+$ (no dashes), 1-128 characters. */
  readonly name: string;
  readonly description: string;
  readonly sql: string;
  readonly sqlVersion: '2016-03-23';
  readonly target: 'kinesis' | 'firehose';
  /** Kinesis partition key, an IoT substitution template; set only for target 'kinesis'. */
  readonly partitionKey?: string;
};

// Every rule adds where and when the message arrived, taken from the topic and the broker, so that
// consumers never trust the payload for routing (docs/wire-contract.md: dt/{factoryId}/{lineId}/{machineId}/{type}).
const ENRICHMENT = [
  'topic(2) AS factoryId',
  'topic(3) AS lineId',
  'topic(4) AS machineId',
  'topic(5) AS messageType',
  'timestamp() AS receivedAt',
  'clientid() AS clientId',
].join(', ');

export const TOPIC_RULES: readonly TopicRuleDefinition[] = [
  {
    name: 'factory_telemetry_to_kinesis',
    description:
      'Machine telemetry, state, counts, jobs and edge alerts to the processing stream, keyed by machine (one shard order per machine)',
    sql: `SELECT *, ${ENRICHMENT} FROM 'dt/+/+/+/+'`,
    sqlVersion: '2016-03-23',
    target: 'kinesis',
    // Same key as domain/wire/topic.ts machineKey: factoryId/lineId/machineId.
    partitionKey: '${topic(2)}/${topic(3)}/${topic(4)}',
  },
  {
    name: 'factory_raw_archive',
    description:
      'Every data-topic message, even malformed ones, to the raw archive (Firehose to S3): the ML and replay source',
    // 'dt/#' rather than 'dt/+/+/+/+': a message on a wrong-shaped topic is still archived for diagnosis.
    sql: `SELECT *, ${ENRICHMENT} FROM 'dt/#'`,
    sqlVersion: '2016-03-23',
    target: 'firehose',
  },
];
