import * as fs from 'node:fs';
import * as path from 'node:path';
import template from '../../lib/ci-identity/alibaba-github-oidc-role.ros.json';
import { GITHUB_OIDC_ISSUER } from '../../lib/ci-identity/ci-identity-config';
import { ROS_EDITABILITY } from '../../lib/review/ros-editability';

type Json = Record<string, any>;
const t = template as Json;
const role = t.Resources.DeployRole.Properties;
const statements: Json[] = role.Policies.flatMap((policy: Json) => policy.PolicyDocument.Statement);
const pattern = (name: string) => new RegExp(t.Parameters[name].AllowedPattern);

describe('the RAM role trust', () => {
  test('only GitHub OIDC tokens with our audience and this repository environment as subject', () => {
    expect(role.AssumeRolePolicyDocument).toEqual({
      Version: '1',
      Statement: [
        {
          Action: 'sts:AssumeRoleWithOIDC',
          Effect: 'Allow',
          Principal: {
            Federated: [
              {
                'Fn::If': [
                  'CreateProvider',
                  {
                    'Fn::Sub': [
                      'acs:ram::${ALIYUN::AccountId}:oidc-provider/${ProviderName}',
                      { ProviderName: { 'Fn::GetAtt': ['GithubOidcProvider', 'OIDCProviderName'] } },
                    ],
                  },
                  { 'Fn::Sub': 'acs:ram::${ALIYUN::AccountId}:oidc-provider/${OIDCProviderName}' },
                ],
              },
            ],
          },
          Condition: {
            StringEquals: {
              'oidc:iss': [GITHUB_OIDC_ISSUER],
              'oidc:aud': [{ Ref: 'Audience' }],
              'oidc:sub': [{ 'Fn::Sub': 'repo:${GitHubRepository}:environment:${GitHubEnvironment}' }],
            },
          },
        },
      ],
    });
  });

  test('the provider trusts the GitHub issuer for the same audience, only when asked to create it', () => {
    expect(t.Resources.GithubOidcProvider).toEqual({
      Type: 'ALIYUN::RAM::OIDCProvider',
      Condition: 'CreateProvider',
      Properties: expect.objectContaining({
        IssuerUrl: GITHUB_OIDC_ISSUER,
        ClientIds: [{ Ref: 'Audience' }],
        Fingerprints: [{ Ref: 'OIDCProviderFingerprint' }],
      }),
    });
    expect(t.Parameters.Audience.Default).toBe('sts.aliyuncs.com');
    expect(t.Rules.FingerprintWhenCreatingProvider.RuleCondition).toEqual({ 'Fn::Equals': [{ Ref: 'CreateOIDCProvider' }, 'true'] });
  });
});

describe('the RAM role permissions', () => {
  test('name every action: no wildcard, and only the services this project deploys', () => {
    const actions: string[] = statements.flatMap((statement) => statement.Action);
    expect(actions.filter((action) => action.includes('*'))).toEqual([]);
    // RAM codes, not product codes: the Certificate Management Service's is yundun-cert (see alibaba-api-calls.ts).
    expect([...new Set(actions.map((action) => action.split(':')[0]))].sort()).toEqual(['alidns', 'cdn', 'oos', 'ros', 'yundun-cert']);
    expect(statements.every((statement) => statement.Effect === 'Allow')).toBe(true);
  });

  test('are scoped to this account, the service domain, the DNS zone and the stack region', () => {
    const resources: string[] = statements.flatMap((statement) =>
      statement.Resource.map((resource: Json | string) => (typeof resource === 'string' ? resource : resource['Fn::Sub'])),
    );
    expect(resources).toEqual([
      'acs:ros:*:${ALIYUN::AccountId}:*',
      'acs:ros:${RosRegion}:${ALIYUN::AccountId}:stack/*',
      'acs:cdn:*:${ALIYUN::AccountId}:domain/${ServiceDomain}',
      'acs:cdn:*:${ALIYUN::AccountId}:*',
      'acs:cdn:*:${ALIYUN::AccountId}:*',
      'acs:alidns:*:${ALIYUN::AccountId}:domain/${DnsZone}',
      // DescribeDomainInfo and every Certificate Management Service action support no resource-level permission
      // ("All Resources" in their authorization tables; yundun-cert's granularity is OPERATION): Resource "*".
      '*',
      '*',
      'acs:oos:*:${ALIYUN::AccountId}:*',
    ]);
    const statementOn = (resource: string) =>
      statements.filter((statement) => statement.Resource[0] === resource || statement.Resource[0]['Fn::Sub'] === resource);
    // Domain writes go only to the project's domain. Account-wide, CDN allows reads (VerifyDomainOwner is a "get" in
    // its authorization table) and, in a statement of their own, the cache refresh and prefetch of publish.
    const [accountWideReads, refresh] = statementOn('acs:cdn:*:${ALIYUN::AccountId}:*');
    expect(accountWideReads.Action.filter((action: string) => !/^cdn:(Describe|VerifyDomainOwner$)/.test(action))).toEqual([]);
    expect(refresh.Action).toEqual(['cdn:RefreshObjectCaches', 'cdn:PushObjectCache']);
    // The account-wide "*" statements are reads, except uploading and deleting the stack's own CAS certificate.
    const [dnsInfo, certificates] = statementOn('*');
    expect(dnsInfo.Action).toEqual(['alidns:DescribeDomainInfo']);
    expect(certificates.Action.every((action: string) => action.startsWith('yundun-cert:'))).toBe(true);
    // Stacks are deleted only in the project's ROS region (ROS names stacks by id in ARNs, so not by name).
    expect(statementOn('acs:ros:${RosRegion}:${ALIYUN::AccountId}:stack/*')[0].Action).toEqual(['ros:DeleteStack']);
  });

  test('sessions last up to 3 hours (RAM allows 3600-43200 s): a deploy may wait an hour on ROS, and another for a running operation', () => {
    expect(role.MaxSessionDuration).toBe(10_800);
  });
});

describe('the template parameters', () => {
  test.each([
    ['GitHubRepository', 'my-org/s3-alicdn', true],
    ['GitHubRepository', 'my-org', false],
    ['GitHubRepository', 'my-org/*', false],
    ['GitHubEnvironment', 'prod', true],
    ['GitHubEnvironment', 'prod:*', false],
    ['ServiceDomain', 'test.test.com', true],
    ['ServiceDomain', '*.test.com', false],
    ['RosRegion', 'ap-southeast-1', true],
    ['RosRegion', 'cn-hangzhou', true],
    ['RosRegion', '*', false],
    ['OIDCProviderFingerprint', '', true],
    ['OIDCProviderFingerprint', 'AB:CD', false],
    ['OIDCProviderFingerprint', 'a'.repeat(40), true],
  ])('%s %j allowed: %s', (name, value, allowed) => {
    expect(pattern(name).test(value)).toBe(allowed);
  });

  test('every Ref and ${} names a parameter, a resource, a pseudo parameter or a Fn::Sub variable', () => {
    const known = new Set([...Object.keys(t.Parameters), ...Object.keys(t.Resources), 'ALIYUN::AccountId', 'ALIYUN::Region']);
    const unknown: string[] = [];
    const walk = (node: unknown, locals: Set<string>): void => {
      if (Array.isArray(node)) return node.forEach((item) => walk(item, locals));
      if (!node || typeof node !== 'object') return;
      for (const [key, value] of Object.entries(node as Json)) {
        if (key === 'Ref' && !known.has(value)) unknown.push(value);
        if (key === 'Fn::Sub') {
          const [text, vars] = Array.isArray(value) ? value : [value, {}];
          const scope = new Set([...locals, ...Object.keys(vars)]);
          for (const [, name] of (text as string).matchAll(/\$\{([^}]+)\}/g)) if (!known.has(name) && !scope.has(name)) unknown.push(name);
          walk(vars, locals);
          continue;
        }
        walk(value, locals);
      }
    };
    walk(t.Resources, new Set());
    walk(t.Outputs, new Set());
    expect(unknown).toEqual([]);
  });

  test('the CreateStack command in docs/ci-setup.md passes every parameter without a default', () => {
    const doc = fs.readFileSync(path.join(__dirname, '../../docs/ci-setup.md'), 'utf8');
    const command = doc.slice(doc.indexOf('aliyun ros CreateStack'), doc.indexOf('```', doc.indexOf('aliyun ros CreateStack')));
    const passed = [...command.matchAll(/ParameterKey (\w+)/g)].map((match) => match[1]);
    const required = Object.entries<Json>(t.Parameters)
      .filter(([, parameter]) => parameter.Default === undefined)
      .map(([name]) => name);
    expect(required.filter((name) => !passed.includes(name))).toEqual([]);
  });

  test('the review engine knows which of these resources replace on change', () => {
    for (const resource of Object.values<Json>(t.Resources)) expect(ROS_EDITABILITY[resource.Type]).toBeDefined();
  });
});
