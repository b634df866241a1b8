import { STATEMENT_IDS } from '../../lib/aws/bucket-policy-statements';
import { referer, serviceDomainReferers } from '../../lib/origin-access/referer';
import { modeTemplates, renderedAuthFunctions, renderedBlockPublicAccess } from '../helpers/origin-access-templates';
import { exampleStageWith } from '../helpers/stage-fixtures';

const site = exampleStageWith((siteDocument) => (siteDocument.originAccess = { mode: 'referer' })).sites[0];
const side = modeTemplates('referer');

describe('referer mode (the guide), origin side', () => {
  test('Block Public Access: ACL flags on, public-policy flags off, with the public-policy finding acknowledged', () => {
    expect(referer.blockPublicAccess).toEqual({
      blockPublicAcls: true,
      ignorePublicAcls: true,
      blockPublicPolicy: false,
      restrictPublicBuckets: false,
    });
    expect(side.bucket.Properties.PublicAccessBlockConfiguration).toEqual(renderedBlockPublicAccess(referer));
    expect(referer.bucketFindings.map((finding) => finding.id)).toEqual(['AwsSolutions-S2']);
  });

  test('after the shared TLS deny, the one Allow is GetObject for a Referer on the service domain', () => {
    expect(side.bucketStatements.map((statement) => statement.Sid)).toEqual([
      STATEMENT_IDS.denyInsecureTransport,
      STATEMENT_IDS.allowCdnByReferer,
    ]);
    expect(side.bucketStatements[1]).toMatchObject({
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Action: 's3:GetObject',
      Condition: { StringLike: { 'aws:Referer': ['https://test.test.com/*', 'http://test.test.com/*'] } },
    });
    expect(serviceDomainReferers('test.test.com')).toEqual(side.bucketStatements[1].Condition.StringLike['aws:Referer']);
  });

  test('no mode resources and no mode outputs', () => {
    expect(referer.originOutputs).toEqual([]);
    const types = Object.values<any>(side.origin.Resources).map((resource) => resource.Type);
    expect(types.filter((type) => type.startsWith('AWS::IAM::') || type.startsWith('AWS::SecretsManager::'))).toEqual([]);
    expect(Object.keys(side.origin.Outputs).sort()).toEqual(['BucketName', 'BucketRegion', 'OriginHost', 'OriginPathPrefix']);
  });
});

describe('referer mode (the guide), CDN side', () => {
  test("the CDN sends a service-domain Referer the policy accepts, replacing the viewer's", () => {
    expect(side.cdnAuthFunctions).toEqual(renderedAuthFunctions(referer, site));
    expect(side.cdnAuthFunctions).toEqual([
      {
        FunctionName: 'origin_request_header',
        FunctionArgs: [
          { ArgName: 'header_operation_type', ArgValue: 'add' },
          { ArgName: 'header_name', ArgValue: 'Referer' },
          { ArgName: 'header_value', ArgValue: 'https://test.test.com/' },
          { ArgName: 'duplicate', ArgValue: 'off' },
        ],
      },
    ]);
  });

  test('it needs no secret parameter: the template has no NoEcho parameter at all', () => {
    expect(referer.rosSecretParameters).toEqual([]);
    expect(side.noEchoParameters).toEqual([]);
  });
});

describe('referer mode (the guide), deploy side', () => {
  test('the ROS parameter builder adds nothing, whatever it is given', () => {
    expect(referer.rosParameterValues({ originOutputs: {}, secrets: {} })).toEqual({ parameters: {}, noEcho: [] });
  });

  test('preflight: account BPA must allow public policies; no secret', () => {
    expect(referer.preflight.accountBlockPublicAccessOff).toEqual(['blockPublicPolicy', 'restrictPublicBuckets']);
    expect(referer.preflight.secret).toBeUndefined();
  });

  test('nothing to rotate; its Referer is the public site URL, so no header is secret', () => {
    expect(referer.rotationTarget).toBe('none');
    expect(referer.secretHeaders).toEqual([]);
  });
});
