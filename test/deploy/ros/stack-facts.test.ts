import { assertRosDeployInputs, readTemplateFacts, RosInputError } from '../../../lib/deploy/ros/stack-facts';
import { cdnTemplate, PARAMS } from './cdn-template-fixture';

const facts = readTemplateFacts(cdnTemplate());
const noEchoKeys = new Set(['S3SecretKey']);
const base: { stackName: string; templateBody: string; parameters: Record<string, string>; noEchoKeys: Set<string> } = {
  stackName: 'cdn-example',
  templateBody: cdnTemplate(),
  parameters: PARAMS,
  noEchoKeys,
};
const check =
  (over: Partial<typeof base> & { timeoutInMinutes?: number; tags?: Record<string, string> }, f = facts) =>
  () =>
    assertRosDeployInputs({ ...base, ...over }, f);

test('valid inputs pass', () => {
  expect(check({ timeoutInMinutes: 60, tags: { project: 's3-alicdn' } })).not.toThrow();
});

test.each([
  [
    { parameters: { ...PARAMS, S3AccessKeyId: 'x'.repeat(129) } },
    "parameter 'S3AccessKeyId' value is 129 characters; ROS accepts at most 128",
  ],
  [
    { parameters: { ...PARAMS, S3AccessKeyId: 'aliyunKey' } },
    "parameter 'S3AccessKeyId' value 'aliyunKey' starts with a reserved prefix; ROS rejects values starting with 'aliyun' or 'acs:'",
  ],
  [
    { parameters: { ...PARAMS, S3AccessKeyId: 'acs:ram::1:role/x' } },
    "parameter 'S3AccessKeyId' value 'acs:ram::1:role/x' starts with a reserved prefix",
  ],
  [
    { parameters: { ...PARAMS, OriginHost: 'https://bucket.s3.amazonaws.com' } },
    "parameter 'OriginHost' value 'https://bucket.s3.amazonaws.com' contains 'http://' or 'https://', which ROS rejects in parameter values; pass the host name without the scheme",
  ],
  [
    { parameters: { ...PARAMS, Bogus: 'x' } },
    "parameter(s) 'Bogus' not declared in the template (declared: OriginHost, S3AccessKeyId, S3SecretKey)",
  ],
  [{ parameters: { S3AccessKeyId: 'a' } }, "parameter(s) 'S3SecretKey' have no Default in the template and no value was given"],
  [
    { stackName: '-bad' },
    "stackName '-bad' is not a valid ROS stack name: use 1-255 letters, digits, '-' or '_', starting with a letter or digit",
  ],
  [{ timeoutInMinutes: 5 }, 'timeoutInMinutes is 5; ROS accepts a whole number from 10 to 1440'],
  [{ tags: { 'acs:owner': 'me' } }, "tag key 'acs:owner' (tag 'acs:owner') must not start with 'aliyun' or 'acs:'"],
  [
    { tags: { site: 'http://x' } },
    "tag value 'http://x' (tag 'site') must not start with 'aliyun' or 'acs:' and must not contain 'http://' or 'https://'",
  ],
])('rejects %j', (over, message) => {
  expect(check(over as Partial<typeof base>)).toThrow(RosInputError);
  expect(check(over as Partial<typeof base>)).toThrow(message);
});

test('the NoEcho value never appears in the message', () => {
  const secret = 'https://secret-looking-value';
  expect(check({ parameters: { ...PARAMS, S3SecretKey: secret } })).toThrow("parameter 'S3SecretKey' value (NoEcho, not shown) contains");
  try {
    check({ parameters: { ...PARAMS, S3SecretKey: secret } })();
  } catch (error) {
    expect((error as Error).message).not.toContain(secret);
  }
});

test('more than 200 parameters and an oversized template are rejected', () => {
  const many = Object.fromEntries(Array.from({ length: 201 }, (_value, index) => [`P${index}`, 'v']));
  const loose = readTemplateFacts('not json: a YAML template');
  expect(check({ parameters: many }, loose)).toThrow('201 parameters given; ROS accepts at most 200 per stack');
  expect(check({ templateBody: 'x'.repeat(524_289) }, loose)).toThrow(
    'templateBody is 524289 bytes; ROS accepts at most 524288 bytes in TemplateBody',
  );
  expect(check({ templateBody: '' }, loose)).toThrow('templateBody is empty');
});
