import { ROS_EDITABILITY, rosPropertyImpact } from '../../lib/review/ros-editability';

describe('ROS editability facts', () => {
  test.each([
    ['ALIYUN::CDN::DomainConfig', 'FunctionList', 'replace'],
    ['ALIYUN::CDN::DomainConfig', 'DomainNames', 'replace'],
    ['ALIYUN::CDN::Domain', 'CdnType', 'replace'],
    ['ALIYUN::CDN::Domain', 'DomainName', 'replace'],
    ['ALIYUN::CDN::Domain', 'OriginServers', 'replace'],
    ['ALIYUN::CDN::Domain', 'CheckUrl', 'replace'],
    ['ALIYUN::CDN::Domain', 'Scope', 'replace'],
    ['ALIYUN::CDN::Domain', 'Sources', 'update'],
    ['ALIYUN::CDN::Domain', 'Tags', 'may-replace'],
    ['ALIYUN::DNS::DomainRecord', 'DomainName', 'replace'],
    ['ALIYUN::DNS::DomainRecord', 'Value', 'update'],
    ['ALIYUN::CAS::Certificate', 'Cert', 'replace'],
    ['ALIYUN::OOS::Execution', 'Parameters', 'replace'],
    ['ALIYUN::OSS::Bucket', 'BucketName', 'may-replace'],
  ])('%s.%s -> %s', (type, property, impact) => {
    expect(rosPropertyImpact(type, property)).toBe(impact);
  });

  test('no property is listed as both editable and not editable', () => {
    for (const [type, facts] of Object.entries(ROS_EDITABILITY)) {
      const overlap = facts.notEditable === 'all' ? facts.editable : facts.editable.filter((path) => facts.notEditable.includes(path));
      expect({ type, overlap }).toEqual({ type, overlap: [] });
    }
  });
});
