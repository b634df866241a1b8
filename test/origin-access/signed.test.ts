import { OriginAccessError } from '../../lib/origin-access';
import { SIGNED_OUTPUTS, SIGNED_ROS_PARAMETERS, signed } from '../../lib/origin-access/signed';
import { STATEMENT_IDS } from '../../lib/aws/bucket-policy-statements';
import { modeTemplates, renderedAuthFunctions, renderedBlockPublicAccess } from '../helpers/origin-access-templates';
import { exampleStageWith } from '../helpers/stage-fixtures';

const site = exampleStageWith().sites[0];
const side = modeTemplates('signed');

describe('signed mode, origin side', () => {
  test('Block Public Access: all four flags on, and that is what the bucket gets', () => {
    expect(signed.blockPublicAccess).toEqual({
      blockPublicAcls: true,
      ignorePublicAcls: true,
      blockPublicPolicy: true,
      restrictPublicBuckets: true,
    });
    expect(side.bucket.Properties.PublicAccessBlockConfiguration).toEqual(renderedBlockPublicAccess(signed));
    expect(signed.bucketFindings).toEqual([]);
  });

  test('the bucket policy has no Allow: only the shared TLS-only deny', () => {
    expect(side.bucketStatements.map((statement) => [statement.Sid, statement.Effect])).toEqual([
      [STATEMENT_IDS.denyInsecureTransport, 'Deny'],
    ]);
  });

  test('the reader user and its key secret are the only mode resources, and the outputs name them', () => {
    const types = Object.values<any>(side.origin.Resources).map((resource) => resource.Type);
    expect(types.filter((type) => type.startsWith('AWS::IAM::') || type.startsWith('AWS::SecretsManager::')).sort()).toEqual([
      'AWS::IAM::Policy',
      'AWS::IAM::User',
      'AWS::SecretsManager::Secret',
    ]);
    expect(signed.originOutputs.map((output) => [output.key, output.shape])).toEqual([
      ['ReaderSecretArn', 'secret-arn'],
      ['ReaderUserName', 'iam-user-name'],
    ]);
    const secretId = Object.keys(side.origin.Resources).find((id) => side.origin.Resources[id].Type === 'AWS::SecretsManager::Secret');
    const userId = Object.keys(side.origin.Resources).find((id) => side.origin.Resources[id].Type === 'AWS::IAM::User');
    expect(side.origin.Outputs[SIGNED_OUTPUTS.readerSecretArn].Value).toEqual({ Ref: secretId });
    expect(side.origin.Outputs[SIGNED_OUTPUTS.readerUserName].Value).toEqual({ Ref: userId });
  });
});

describe('signed mode, CDN side', () => {
  test('the CDN signs origin requests (aws_s3_bucket, enabled l2) with the key from two NoEcho parameters', () => {
    expect(side.cdnAuthFunctions).toEqual(renderedAuthFunctions(signed, site));
    expect(side.cdnAuthFunctions.map((fn) => fn.FunctionName)).toEqual(['aws_s3_bucket']);
    expect(side.cdnAuthFunctions[0].FunctionArgs).toContainEqual({ ArgName: 'enabled', ArgValue: 'l2' });
    expect(side.cdnAuthFunctions[0].FunctionArgs).toContainEqual({ ArgName: 'secretkey', ArgValue: { Ref: 'ReaderSecretAccessKey' } });
  });

  test('its ROS parameters are NoEcho without a default, and no other secret parameter is in the template', () => {
    expect(signed.rosSecretParameters.map((parameter) => parameter.name)).toEqual(['ReaderAccessKeyId', 'ReaderSecretAccessKey']);
    expect(side.noEchoParameters.sort()).toEqual(['ReaderAccessKeyId', 'ReaderSecretAccessKey']);
    for (const { name } of signed.rosSecretParameters) expect(side.cdn.Parameters[name]).not.toHaveProperty('Default');
  });
});

describe('signed mode, deploy side', () => {
  const pair = { accessKeyId: 'AKIAEXAMPLEREADER001', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };

  test('the ROS parameter values are the reader key pair, all NoEcho', () => {
    expect(signed.rosParameterValues({ originOutputs: {}, secrets: { 'reader-key': pair } })).toEqual({
      parameters: {
        [SIGNED_ROS_PARAMETERS.readerAccessKeyId]: pair.accessKeyId,
        [SIGNED_ROS_PARAMETERS.readerSecretAccessKey]: pair.secretAccessKey,
      },
      noEcho: ['ReaderAccessKeyId', 'ReaderSecretAccessKey'],
    });
  });

  test('without the key pair the builder refuses, rather than deploying a CDN that cannot sign', () => {
    const build = () => signed.rosParameterValues({ originOutputs: {}, secrets: {} });
    expect(build).toThrow(OriginAccessError);
    expect(build).toThrow('signed mode: the reader key pair was not read, so the CDN cannot sign origin requests.');
  });

  test('preflight: account Block Public Access cannot break it; the reader key is stored after the origin stack deploys', () => {
    expect(signed.preflight.accountBlockPublicAccessOff).toEqual([]);
    expect(signed.preflight.secret).toMatchObject({ kind: 'reader-key', ensure: 'after-origin-deploy' });
    expect(signed.preflight.secret!.secretName(site)).toBe('s3alicdn/example/test-test-com/reader-key');
  });

  test('rotate --target reader-key rotates it; no header carries its secret', () => {
    expect(signed.rotationTarget).toBe('reader-key');
    expect(signed.secretHeaders).toEqual([]);
  });
});
