import * as ros from '@alicloud/ros-cdk-core';
import { RosCasCertificate, RosCdnDomain, RosCdnDomainConfig, RosOosExecution } from '../../lib/ros/resource-types';
import { templatesFor } from '../helpers/synthesized-templates';
import { TEST_VARIANTS, type TestVariant } from '../helpers/test-variants';

/**
 * Property names per resource type, as listed in the "Properties" section of Alibaba Cloud's ROS resource reference
 * (the same pages lib/review/ros-editability.ts cites):
 * - ALIYUN::CDN::Domain        alibabacloud.com/help/en/ros/developer-reference/aliyun-cdn-domain
 * - ALIYUN::CDN::DomainConfig  alibabacloud.com/help/en/ros/developer-reference/aliyun-cdn-domainconfig
 * - ALIYUN::CAS::Certificate   alibabacloud.com/help/en/resource-orchestration-service/latest/aliyun-cas-certificate
 * - ALIYUN::OOS::Execution     help.aliyun.com/en/ros/developer-reference/aliyun-oos-execution
 * - ALIYUN::DNS::DomainRecord  alibabacloud.com/help/doc-detail/119484.html
 * Required ones are listed first in each entry's `required`.
 */
const DOCUMENTED: Record<string, { all: string[]; required: string[] }> = {
  'ALIYUN::CDN::Domain': {
    all: ['CdnType', 'DomainName', 'Sources', 'OriginServers', 'CheckUrl', 'Scope', 'TopLevelDomain', 'ResourceGroupId', 'Tags'],
    required: ['CdnType', 'DomainName'],
  },
  'ALIYUN::CDN::DomainConfig': { all: ['DomainNames', 'FunctionList'], required: ['DomainNames'] },
  'ALIYUN::CAS::Certificate': { all: ['Cert', 'Key', 'Name', 'Lang', 'SourceIp'], required: ['Cert', 'Key', 'Name'] },
  'ALIYUN::OOS::Execution': {
    all: [
      'ResourceOptions',
      'Parameters',
      'Tags',
      'TemplateName',
      'ParentExecutionId',
      'SafetyCheck',
      'Mode',
      'TemplateVersion',
      'ResourceGroupId',
      'LoopMode',
      'Description',
      'TemplateContent',
      'TemplateURL',
    ],
    required: [],
  },
  'ALIYUN::DNS::DomainRecord': {
    all: ['DomainName', 'RR', 'Type', 'Value', 'TTL', 'Line', 'Priority'],
    required: ['DomainName', 'RR', 'Type', 'Value'],
  },
};

function newStack() {
  return new ros.Stack(new ros.App(), 'Test');
}

describe('every ROS resource uses only documented property names, with the required ones present', () => {
  test.each(Object.keys(TEST_VARIANTS) as TestVariant[])('variant %s', (variant) => {
    for (const template of Object.values(templatesFor(variant).ros)) {
      for (const [logicalId, resource] of Object.entries<any>(template.Resources)) {
        const documented = DOCUMENTED[resource.Type];
        expect({ logicalId, type: resource.Type, documented: documented !== undefined }).toEqual({
          logicalId,
          type: resource.Type,
          documented: true,
        });
        const names = Object.keys(resource.Properties);
        expect(names.filter((name) => !documented.all.includes(name))).toEqual([]);
        expect(documented.required.filter((name) => !names.includes(name))).toEqual([]);
      }
    }
  });
});

describe('RosCdnDomain', () => {
  test('exposes Cname, DomainName and Arn attributes', () => {
    const domain = new RosCdnDomain(newStack(), 'D', { cdnType: 'web', domainName: 'a.example.com' });
    const stack = ros.Stack.of(domain);
    expect(stack.resolve(domain.attrCname)).toEqual({ 'Fn::GetAtt': ['D', 'Cname'] });
    expect(stack.resolve(domain.attrDomainName)).toEqual({ 'Fn::GetAtt': ['D', 'DomainName'] });
    expect(stack.resolve(domain.attrArn)).toEqual({ 'Fn::GetAtt': ['D', 'Arn'] });
  });

  test.each([
    [{ cdnType: 'cdn', domainName: 'a.example.com' }, 'ALIYUN::CDN::Domain.CdnType: "cdn" is not one of: web, download, video, liveStream'],
    [{ cdnType: 'web', domainName: '' }, 'ALIYUN::CDN::Domain.DomainName: is required'],
    [
      { cdnType: 'web', domainName: 'a.example.com', scope: 'mainland' },
      'ALIYUN::CDN::Domain.Scope: "mainland" is not one of: domestic, overseas, global',
    ],
    [
      { cdnType: 'web', domainName: 'a.example.com', originServers: [{ type: 's3', content: 'x' }] },
      'ALIYUN::CDN::Domain.OriginServers[0].Type: "s3" is not one of: ipaddr, domain, oss, fc_domain',
    ],
    [
      { cdnType: 'web', domainName: 'a.example.com', originServers: [{ type: 'domain', content: 'x', port: 70000 }] },
      'ALIYUN::CDN::Domain.OriginServers[0].Port: 70000 is not a TCP port (1-65535)',
    ],
    [
      { cdnType: 'web', domainName: 'a.example.com', originServers: Array.from({ length: 21 }, () => ({ type: 'domain', content: 'x' })) },
      'ALIYUN::CDN::Domain.OriginServers: has 21 items; at most 20',
    ],
  ])('rejects %j', (props, message) => {
    expect(() => new RosCdnDomain(newStack(), 'D', props as any)).toThrow(message);
  });
});

describe('RosCdnDomainConfig', () => {
  test('rejects a non-string argument value, which ROS would only refuse at deploy time', () => {
    expect(
      () =>
        new RosCdnDomainConfig(newStack(), 'C', {
          domainNames: 'a.example.com',
          functionList: [{ functionName: 'forward_scheme', functionArgs: [{ argName: 'scheme_origin_port', argValue: 443 as any }] }],
        }),
    ).toThrow(
      'ALIYUN::CDN::DomainConfig.FunctionList[0].FunctionArgs[0].ArgValue: forward_scheme.scheme_origin_port must be a string, got 443',
    );
  });

  test('rejects an empty function list and a function without arguments', () => {
    expect(() => new RosCdnDomainConfig(newStack(), 'C', { domainNames: 'a.example.com', functionList: [] })).toThrow(
      'ALIYUN::CDN::DomainConfig.FunctionList: needs at least one function',
    );
    expect(
      () =>
        new RosCdnDomainConfig(newStack(), 'C', {
          domainNames: 'a.example.com',
          functionList: [{ functionName: 'gzip', functionArgs: [] }],
        }),
    ).toThrow('ALIYUN::CDN::DomainConfig.FunctionList[0].FunctionArgs: gzip needs at least one argument');
  });
});

describe('RosCasCertificate and RosOosExecution', () => {
  test('a literal PEM is refused so it can never land in a template', () => {
    expect(() => new RosCasCertificate(newStack(), 'C', { cert: '-----BEGIN CERTIFICATE-----', key: 'k', name: 'n' })).toThrow(
      'ALIYUN::CAS::Certificate.Cert: must come from a NoEcho parameter, not a literal value',
    );
  });

  test('an execution needs exactly one template source', () => {
    expect(() => new RosOosExecution(newStack(), 'E', {})).toThrow(
      'ALIYUN::OOS::Execution.TemplateContent: set exactly one of TemplateContent and TemplateName',
    );
    expect(() => new RosOosExecution(newStack(), 'E', { templateContent: '{}', templateName: 'x' })).toThrow('set exactly one');
  });
});
