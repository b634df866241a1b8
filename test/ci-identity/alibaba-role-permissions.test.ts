import * as path from 'node:path';
import template from '../../lib/ci-identity/alibaba-github-oidc-role.ros.json';
import { CertificateBinding } from '../../lib/ros/certificate-binding';
import { templatesFor } from '../helpers/synthesized-templates';
import { TEST_VARIANTS, type TestVariant } from '../helpers/test-variants';
import { type ApiCall, codeApiCalls, grantedActions, missingActions, templateApiCalls, unknownActions } from './alibaba-api-calls';

/**
 * The CI role must grant every Alibaba Cloud API the tool makes happen. The list is derived, not typed: the SDK calls
 * in lib/ (deploy, diff, verify, destroy, rotate, publish, whatever is added next) and the APIs the synthesized ROS
 * templates make ROS and OOS call. A new SDK call without its grant fails here, not in a user's CI run.
 */
const role = (template as any).Resources.DeployRole.Properties;

function merge(...maps: Map<string, ApiCall[]>[]): Map<string, ApiCall[]> {
  const merged = new Map<string, ApiCall[]>();
  for (const map of maps) for (const [action, calls] of map) merged.set(action, [...(merged.get(action) ?? []), ...calls]);
  return merged;
}

let required: Map<string, ApiCall[]>;
beforeAll(() => {
  const templates = (Object.keys(TEST_VARIANTS) as TestVariant[]).flatMap((variant) =>
    Object.entries(templatesFor(variant).ros).map(([name, rosTemplate]) => ({ name: `${variant}/${name}`, template: rosTemplate })),
  );
  required = merge(codeApiCalls(), templateApiCalls(templates));
});

describe('the Alibaba CI role grants what the code and the templates call', () => {
  test('no required action is missing', () => {
    expect(missingActions(role, required)).toEqual([]);
  });

  test('every granted action is <RAM code>:<an API of that service>: no "cas:" (the RAM code is yundun-cert), no typo', () => {
    expect(unknownActions(role)).toEqual([]);
  });

  test('the derivation sees the calls it must: SDK calls in lib/, ROS resource types, the OOS ExecuteApi task', () => {
    const where = (action: string) => required.get(action)?.map((call) => call.where) ?? [];
    // SDK calls, found with their file and line.
    expect(where('alidns:DescribeDomainInfo')).toContainEqual(expect.stringMatching(/^lib\/deploy\/ros\/alibaba-preflight\.ts:\d+$/));
    expect(where('yundun-cert:GetUserCertificateDetail')).toContainEqual(
      expect.stringMatching(/^lib\/deploy\/ros\/alibaba-preflight\.ts:/),
    );
    expect(where('ros:DeleteStack')).toContainEqual(expect.stringMatching(/^lib\/deploy\/ros\/ros-client\.ts:/));
    expect(where('ros:ExecuteChangeSet')).not.toEqual([]);
    // Resource types of the templates, the upload variant's CAS certificate included.
    expect(where('cdn:AddCdnDomain')).not.toEqual([]);
    expect(where('yundun-cert:UploadUserCertificate')).toContainEqual(expect.stringMatching(/^signedUploadedCertificate\//));
    expect(where('alidns:AddDomainRecord')).not.toEqual([]);
    // The API the certificate binding's OOS template calls.
    const task = JSON.parse(CertificateBinding.OOS_TEMPLATE).Tasks[0];
    expect(where(`cdn:${task.Properties.API}`)).toContainEqual(expect.stringContaining('OOS task setCdnDomainSSLCertificate'));
  });
});

describe('planted faults the checks must catch', () => {
  const withoutAction = (action: string) => {
    const copy = structuredClone(role);
    for (const policy of copy.Policies)
      for (const statement of policy.PolicyDocument.Statement)
        statement.Action = statement.Action.filter((name: string) => name !== action);
    return copy;
  };

  test.each(['alidns:DescribeDomainInfo', 'ros:DeleteStack', 'cdn:SetCdnDomainSSLCertificate', 'yundun-cert:UploadUserCertificate'])(
    'a role without %s fails, naming where it is needed',
    (action) => {
      expect(grantedActions(role).has(action)).toBe(true);
      const missing = missingActions(withoutAction(action), required);
      expect(missing).toHaveLength(1);
      expect(missing[0]).toMatch(new RegExp(`^${action} \\(needed by .+\\)$`));
    },
  );

  test('a grant under a product code that is not a RAM code, or of an API that does not exist, fails', () => {
    const copy = structuredClone(role);
    copy.Policies[0].PolicyDocument.Statement.push({
      Effect: 'Allow',
      Action: ['cas:UploadUserCertificate', 'cdn:RefreshObjectCache', 'yundun-cert:UploadUserCertificates'],
      Resource: ['*'],
    });
    expect(unknownActions(copy)).toEqual(['cas:UploadUserCertificate', 'cdn:RefreshObjectCache', 'yundun-cert:UploadUserCertificates']);
  });

  test('new code is picked up: a CDN refresh module calling the SDK, through a client built in another module', () => {
    const lib = path.join(__dirname, '../../lib');
    const files = new Map([
      [
        path.join(lib, 'publish/cdn-client.ts'),
        "import CdnClient from '@alicloud/cdn20180510';\nexport const make = () => new CdnClient({} as never);\n",
      ],
      [
        path.join(lib, 'publish/refresh.ts'),
        [
          "import * as $Cdn from '@alicloud/cdn20180510';",
          "import { make } from './cdn-client';",
          'export async function refresh(paths: string[]) {',
          '  const client = make();',
          '  await client.describeRefreshQuota(new $Cdn.DescribeRefreshQuotaRequest({}));',
          "  await client.refreshObjectCachesWithOptions(new $Cdn.RefreshObjectCachesRequest({ objectPath: paths.join('\\n') }), {} as never);",
          '}',
        ].join('\n'),
      ],
      [
        path.join(lib, 'verify/domain-owner.ts'),
        "import { make } from '../publish/cdn-client';\nexport const verify = () => make().verifyDomainOwner({} as never);\n// client.pushObjectCache() in a comment is no call\n",
      ],
    ]);
    const found = codeApiCalls(files);
    expect([...found.keys()].sort()).toEqual(['cdn:DescribeRefreshQuota', 'cdn:RefreshObjectCaches', 'cdn:VerifyDomainOwner']);
    expect(found.get('cdn:RefreshObjectCaches')!.map((call) => call.where)).toEqual([
      'lib/publish/refresh.ts:6',
      'lib/publish/refresh.ts:6',
    ]);
    // The role already grants what the publish and domain-verification steps call.
    expect(missingActions(role, found)).toEqual([]);
  });

  test('an SDK the mapping does not know stops the derivation instead of being skipped', () => {
    const file = path.join(__dirname, '../../lib/deploy/ecs.ts');
    expect(() => codeApiCalls(new Map([[file, "import Ecs from '@alicloud/ecs20140526';\n"]]))).toThrow(
      'imports @alicloud/ecs20140526: add its RAM code to SDK_RAM_CODES',
    );
  });

  test('a ROS resource type without its API list stops the derivation', () => {
    expect(() =>
      templateApiCalls([{ name: 'stack', template: { Resources: { Bucket: { Type: 'ALIYUN::OSS::Bucket', Properties: {} } } } }]),
    ).toThrow('stack Bucket (ALIYUN::OSS::Bucket): add the APIs ROS calls for ALIYUN::OSS::Bucket to ROS_RESOURCE_TYPE_APIS');
  });
});
