import { STATEMENT_IDS } from '../../lib/aws/bucket-policy-statements';
import { OriginAccessError } from '../../lib/origin-access';
import {
  REFERER_SECRET_FIELDS,
  REFERER_SECRET_OUTPUTS,
  REFERER_SECRET_ROS_PARAMETERS,
  refererSecret,
  refererSecretDynamicReference,
  refererSecretVersionContextKey,
} from '../../lib/origin-access/referer-secret';
import { TEST_VARIANT_AWS_CONTEXT } from '../helpers/test-variants';
import { modeTemplates, renderedAuthFunctions, renderedBlockPublicAccess } from '../helpers/origin-access-templates';
import { exampleStageWith } from '../helpers/stage-fixtures';

const site = exampleStageWith((siteDocument) => (siteDocument.originAccess = { mode: 'referer-secret' })).sites[0];
const side = modeTemplates('refererSecret');
const secretName = 's3alicdn/example/test-test-com/referer-secret';

describe('referer-secret mode, origin side', () => {
  test('Block Public Access: ACL flags on, public-policy flags off, with the public-policy finding acknowledged', () => {
    expect(refererSecret.blockPublicAccess).toEqual({
      blockPublicAcls: true,
      ignorePublicAcls: true,
      blockPublicPolicy: false,
      restrictPublicBuckets: false,
    });
    expect(side.bucket.Properties.PublicAccessBlockConfiguration).toEqual(renderedBlockPublicAccess(refererSecret));
    expect(refererSecret.bucketFindings.map((finding) => finding.id)).toEqual(['AwsSolutions-S2']);
  });

  test('after the shared TLS deny, the one Allow accepts exactly the current or previous secret, by dynamic reference', () => {
    expect(side.bucketStatements.map((statement) => statement.Sid)).toEqual([
      STATEMENT_IDS.denyInsecureTransport,
      STATEMENT_IDS.allowCdnByRefererSecret,
    ]);
    expect(side.bucketStatements[1].Condition).toEqual({
      StringEquals: {
        'aws:Referer': [
          `{{resolve:secretsmanager:${secretName}:SecretString:current}}`,
          `{{resolve:secretsmanager:${secretName}:SecretString:previous}}`,
        ],
      },
    });
  });

  test('the version the deploy pins through CDK context reaches the references', () => {
    const version = TEST_VARIANT_AWS_CONTEXT.refererSecretPinned![refererSecretVersionContextKey(site.id)];
    expect(modeTemplates('refererSecretPinned').bucketStatements[1].Condition.StringEquals['aws:Referer']).toEqual([
      refererSecretDynamicReference(secretName, 'current', version),
      refererSecretDynamicReference(secretName, 'previous', version),
    ]);
  });

  test('the stack creates no secret; its one output is where the secret is kept', () => {
    expect(Object.values<any>(side.origin.Resources).filter((resource) => resource.Type === 'AWS::SecretsManager::Secret')).toEqual([]);
    expect(refererSecret.originOutputs.map((output) => [output.key, output.shape])).toEqual([['RefererSecretArn', 'secret-arn']]);
    expect(JSON.stringify(side.origin.Outputs[REFERER_SECRET_OUTPUTS.refererSecretArn].Value)).toContain(`:secret:${secretName}`);
  });
});

describe('referer-secret mode, CDN side', () => {
  test('the CDN replaces Referer with the secret from a NoEcho parameter (duplicate off)', () => {
    expect(side.cdnAuthFunctions).toEqual(renderedAuthFunctions(refererSecret, site));
    expect(side.cdnAuthFunctions).toEqual([
      {
        FunctionName: 'origin_request_header',
        FunctionArgs: [
          { ArgName: 'header_operation_type', ArgValue: 'add' },
          { ArgName: 'header_name', ArgValue: 'Referer' },
          { ArgName: 'header_value', ArgValue: { Ref: 'RefererSecret' } },
          { ArgName: 'duplicate', ArgValue: 'off' },
        ],
      },
    ]);
  });

  test('its one ROS parameter is NoEcho without a default, and the only secret parameter in the template', () => {
    expect(side.noEchoParameters).toEqual([REFERER_SECRET_ROS_PARAMETERS.refererSecret]);
    expect(side.cdn.Parameters.RefererSecret).not.toHaveProperty('Default');
  });
});

describe('referer-secret mode, deploy side', () => {
  test('the ROS parameter value is the current secret, NoEcho', () => {
    const current = 'k3Y9-example-referer-secret-value-000000';
    expect(refererSecret.rosParameterValues({ originOutputs: {}, secrets: { 'referer-secret': { current } } })).toEqual({
      parameters: { RefererSecret: current },
      noEcho: ['RefererSecret'],
    });
  });

  test('without the secret the builder refuses', () => {
    const build = () => refererSecret.rosParameterValues({ originOutputs: {}, secrets: {} });
    expect(build).toThrow(OriginAccessError);
    expect(build).toThrow('referer-secret mode: the referer secret was not read, so the CDN has no Referer to send.');
  });

  test('preflight: account BPA must allow public policies; the secret must exist before synth pins its version', () => {
    expect(refererSecret.preflight.accountBlockPublicAccessOff).toEqual(['blockPublicPolicy', 'restrictPublicBuckets']);
    expect(refererSecret.preflight.secret).toMatchObject({ kind: 'referer-secret', ensure: 'before-synth' });
    expect(refererSecret.preflight.secret!.secretName(site)).toBe(secretName);
  });

  test('rotate --target referer-secret rotates it; reviews redact the Referer header', () => {
    expect(refererSecret.rotationTarget).toBe('referer-secret');
    expect(refererSecret.secretHeaders).toEqual(['referer']);
  });

  test('a dynamic reference addresses one JSON field of the secret, optionally pinned to a version', () => {
    const secretId = 'arn:aws:secretsmanager:ap-northeast-2:111122223333:secret:origin-reader-AbCdEf';
    expect(refererSecretDynamicReference(secretId, 'current')).toBe(`{{resolve:secretsmanager:${secretId}:SecretString:current}}`);
    expect(refererSecretDynamicReference(secretId, 'previous', 'v-9')).toBe(
      `{{resolve:secretsmanager:${secretId}:SecretString:previous::v-9}}`,
    );
    expect(Object.values(REFERER_SECRET_FIELDS)).toEqual(['current', 'previous']);
  });
});
