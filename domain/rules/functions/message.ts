// Functions about the message and its delivery (https://docs.aws.amazon.com/iot/latest/developerguide/iot-sql-functions.html).
// Everything comes from the caller's MessageContext, randomness included, so a replay is deterministic.
import { RuleFailure, type Mqtt5Properties } from '../evaluationContext.ts';
import { toDecimal, Undefined, type SqlValue } from '../sqlValue.ts';
import { define, type SqlFunction } from './sqlFunction.ts';

export const SQL_VERSION = '2016-03-23';

const optional = (value: string | undefined): SqlValue => value ?? Undefined;

// topic(n) is one-based; the whole topic without an argument; a level that does not exist is Undefined.
// A Basic Ingest topic loses its $aws/rules/<rule-name>/ prefix, as the reference shows.
const topicLevel = (args: readonly SqlValue[], topic: string): SqlValue => {
  const visible = topic.replace(/^\$aws\/rules\/[^/]+\//, '');
  if (args.length === 0) return visible;
  const n = toDecimal(args[0] ?? Undefined);
  if (n === Undefined || !Number.isInteger(n) || n < 1) return Undefined;
  return visible.split('/')[n - 1] ?? Undefined;
};

// The MQTT 5 properties get_mqtt_property knows; any other name is Undefined.
const mqttProperty = (name: SqlValue, properties: Mqtt5Properties): SqlValue => {
  switch (typeof name === 'string' ? name.toLowerCase() : '') {
    case 'format_indicator':
      return optional(properties.payloadFormatIndicator);
    case 'content_type':
      return optional(properties.contentType);
    case 'response_topic':
      return optional(properties.responseTopic);
    case 'correlation_data':
      return optional(properties.correlationData);
    default:
      return Undefined;
  }
};

export const MESSAGE_FUNCTIONS: readonly SqlFunction[] = [
  define('message', 'accountid()', 'the AWS account id that owns the rule (the caller gives it)', (_, c) => {
    if (c.accountId === undefined)
      throw new RuleFailure(
        'not available locally: accountid() needs the AWS account id, which the caller did not give (factory rules eval --account-id)',
      );
    return c.accountId;
  }),
  // "Returns the ID of the MQTT client sending the message, or n/a if the message wasn't sent over MQTT."
  define('message', 'clientid()', 'the MQTT client id of the sender, or n/a', (_, c) => c.clientId ?? 'n/a'),
  define(
    'message',
    'get_mqtt_property(name)',
    'an MQTT 5 header: format_indicator, content_type, response_topic or correlation_data (base64)',
    ([name = Undefined], c) => (c.mqtt5 === undefined ? Undefined : mqttProperty(name, c.mqtt5)),
  ),
  define(
    'message',
    'get_user_properties(String)',
    'the values of an MQTT 5 user property, as an array',
    ([key = Undefined], c) => {
      const values = (c.mqtt5?.userProperties ?? []).filter(([k]) => k === key).map(([, v]) => v);
      return values.length === 0 ? Undefined : values;
    },
  ),
  define('message', 'newuuid()', "a random UUID (from the caller's source)", (_, c) => c.newUuid()),
  define(
    'message',
    'principal()',
    'the certificate thumbprint or IAM identity that published, when the caller gives it',
    (_, c) => optional(c.principal),
  ),
  define('message', 'rand()', "a pseudorandom double in [0, 1) from the caller's random source", (_, c) => {
    if (c.random === undefined)
      throw new RuleFailure('rand() needs a random source: the caller of the rule evaluator gave none');
    return c.random();
  }),
  define('message', 'sourceip()', 'the IP address of the publisher, when the caller gives it', (_, c) =>
    optional(c.sourceIp),
  ),
  define('message', 'sql_version()', `the rule's SQL version (${SQL_VERSION})`, () => SQL_VERSION),
  define('message', 'topic([Decimal])', 'the topic, or its n-th level (1-based)', (args, c) =>
    topicLevel(args, c.topic),
  ),
  define('message', 'traceid()', 'the MQTT message trace id, Undefined when not given', (_, c) => optional(c.traceId)),
];
