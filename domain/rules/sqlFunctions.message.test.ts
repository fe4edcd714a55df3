// Functions about the message, and the ones that call AWS, from "Functions - AWS IoT Core"
// https://docs.aws.amazon.com/iot/latest/developerguide/iot-sql-functions.html (anchor per test name).
// Randomness and identity come from the caller's context, so every value here is fixed.
import test from 'ava';
import { FIXED_UUID, failureOf, run, valueOf as v } from '../testing/topicRules.ts';

test('topic #iot-function-topic: topic() = "things/myThings/thingOne", topic(1) = "things"', (t) => {
  t.deepEqual(run("SELECT topic() AS whole, topic(1) AS first FROM '#'", {}, 'things/myThings/thingOne'), {
    whole: 'things/myThings/thingOne',
    first: 'things',
  });
});

test('topic #iot-function-topic: Basic Ingest hides the $aws/rules/<rule-name>/ prefix', (t) => {
  const topic = '$aws/rules/BuildingManager/Buildings/Building5/Floor2/Room201/Lights';
  t.deepEqual(run("SELECT topic() AS whole, topic(3) AS floor FROM '$aws/rules/BuildingManager/#'", {}, topic), {
    whole: 'Buildings/Building5/Floor2/Room201/Lights',
    floor: 'Floor2',
  });
});

test('clientid #iot-sql-function-clientid: the client id, or n/a for a message not sent over MQTT', (t) => {
  t.is(v('clientid()', {}, { clientId: '123456789012' }), '123456789012');
  t.is(v('clientid()'), 'n/a');
});

test('newuuid #iot-sql-function-newuuid and rand #iot-sql-function-rand come from the caller', (t) => {
  t.is(v('newuuid()'), FIXED_UUID);
  t.is(v('rand()', {}, { random: () => 0.8231909191640703 }), 0.8231909191640703);
  t.is(
    failureOf("SELECT rand() AS r FROM '#'"),
    'rand() needs a random source: the caller of the rule evaluator gave none',
  );
});

test('accountid #iot-sql-function-accountid: accountid() = "123456789012" when the caller gives the account', (t) => {
  t.is(v('accountid()', {}, { accountId: '123456789012' }), '123456789012');
  t.regex(
    failureOf("SELECT accountid() AS a FROM '#'") ?? '',
    /not available locally: accountid\(\) needs the AWS account id/,
  );
});

test("principal #iot-sql-function-principal, sourceip and traceid #iot-sql-function-traceid: the caller's, else Undefined", (t) => {
  const thumbprint = 'ba67293af50bf2506f5f93469686da660c7c844e7b3950bfb16813e0d31e9373';
  t.deepEqual(
    run("SELECT principal() AS p, sourceip() AS ip, traceid() AS id FROM '#'", {}, 'a/b', {
      principal: thumbprint,
      sourceIp: '192.0.2.7',
      traceId: '12345678-1234-1234-1234-123456789012',
    }),
    { p: thumbprint, ip: '192.0.2.7', id: '12345678-1234-1234-1234-123456789012' },
  );
  t.deepEqual(run("SELECT principal() AS p, sourceip() AS ip, traceid() AS id FROM '#'", {}), {});
});

test('sql_version #iot-sql-function-sql-version: sql_version() = "2016-03-23"', (t) => {
  t.is(v('sql_version()'), '2016-03-23');
});

test('get_mqtt_property and get_user_properties read the MQTT 5 properties the caller gives', (t) => {
  const mqtt5 = {
    contentType: 'application/json',
    responseTopic: 'r/1',
    correlationData: 'YWJj',
    payloadFormatIndicator: 'UTF8_DATA' as const,
    userProperties: [
      ['site', 'f1'],
      ['tag', 'a'],
      ['tag', 'b'],
    ] as const,
  };
  t.deepEqual(
    run(
      "SELECT get_mqtt_property('content_type') AS ct, get_mqtt_property('response_topic') AS rt, get_mqtt_property('correlation_data') AS cd, get_mqtt_property('format_indicator') AS fi, get_user_properties('tag') AS tags, get_user_properties('none') AS none FROM '#'",
      {},
      'a/b',
      { mqtt5 },
    ),
    { ct: 'application/json', rt: 'r/1', cd: 'YWJj', fi: 'UTF8_DATA', tags: ['a', 'b'] },
  );
  t.is(v("get_mqtt_property('content_type')"), undefined);
});

test('functions that call AWS are recognised and fail the rule with the service they call', (t) => {
  const expect = (sql: string, message: string) => {
    const topic = /FROM '([^']*)'/i.exec(sql)?.[1]?.replace(/[#+]/g, 'x') ?? 'a/b';
    t.is(failureOf(sql, { attribute1: 21, id: 'd1' }, { topic }), message, sql);
  };
  expect(
    'SELECT aws_lambda("arn:aws:lambda:us-east-1:account_id:function:lambda_function", {"payload":attribute1}) as output FROM \'topic-filter\'',
    'not available locally: aws_lambda calls AWS Lambda',
  );
  expect(
    'SELECT aws_lambda("arn:aws:lambda:us-east-1:account_id:function:lambda_function", *) as output FROM \'topic-filter\'',
    'not available locally: aws_lambda calls AWS Lambda',
  );
  expect(
    'SELECT *, get_dynamodb("InServiceDevices", "deviceId", id, "arn:aws:iam::12345678910:role/getdynamo").location AS location FROM \'some/topic\'',
    'not available locally: get_dynamodb calls Amazon DynamoDB',
  );
  expect(
    'SELECT * from \'topic/subtopic\' WHERE get_thing_shadow("MyThing","MyThingShadow","arn:aws:iam::123456789012:role/AllowsThingShadowAccess").state.reported.alarm = \'ON\'',
    'not available locally: get_thing_shadow calls the AWS IoT Device Shadow service',
  );
  expect(
    'SELECT * from \'topic/subtopic\' WHERE get_thing_shadow("MyThing","arn:aws:iam::123456789012:role/AllowsThingShadowAccess").state.reported.alarm = \'ON\'',
    'not available locally: get_thing_shadow calls the AWS IoT Device Shadow service',
  );
  expect(
    "SELECT get_secret('API_KEY', 'SecretString', 'API_KEY_VALUE', 'arn:aws:iam::12345678910:role/getsecret') AS k FROM '#'",
    'not available locally: get_secret calls AWS Secrets Manager',
  );
  expect(
    "SELECT get_registry_data('DescribeThing', 'thing', 'arn:aws:iam::1:role/r') AS r FROM '#'",
    'not available locally: get_registry_data calls the AWS IoT registry',
  );
  expect(
    "SELECT machinelearning_predict('model', 'arn:aws:iam::1:role/r', *) AS p FROM '#'",
    'not available locally: machinelearning_predict calls Amazon Machine Learning',
  );
  expect(
    "SELECT decode(x, 'proto', 'bucket', 'key', 'file', 'Message') AS p FROM '#'",
    "not available locally: decode(value, 'proto', …) reads its descriptor file from Amazon S3",
  );
});

test("a rule that does not reach the AWS call still runs: the failure is the call's, not the rule's", (t) => {
  t.deepEqual(run("SELECT CASE x WHEN 1 THEN 'local' ELSE aws_lambda('arn', *) END AS r FROM '#'", { x: 1 }), {
    r: 'local',
  });
  t.deepEqual(
    run("SELECT get_or_default(x, aws_lambda('arn', *)) AS r FROM '#'", { x: 1 }),
    null,
    'arguments are evaluated before the function: the AWS call fails the rule even where the default would do',
  );
});
