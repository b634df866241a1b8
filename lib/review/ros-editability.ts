/**
 * Which ROS resource properties can be updated in place. ROS replaces (deletes and recreates) a resource when a
 * non-editable property changes, and `@aws-cdk/cloudformation-diff` knows nothing about `ALIYUN::*` types (it
 * reports every such change as "no change"), so this table is the single source of those facts for the review.
 *
 * Sources (the "Editable" column of each ROS resource reference page):
 * - ALIYUN::CDN::Domain        alibabacloud.com/help/en/ros/developer-reference/aliyun-cdn-domain
 * - ALIYUN::CDN::DomainConfig  alibabacloud.com/help/en/ros/developer-reference/aliyun-cdn-domainconfig
 * - ALIYUN::CDN::StagingConfig help.aliyun.com/en/ros/developer-reference/aliyun-cdn-stagingconfig
 * - ALIYUN::DNS::DomainRecord  alibabacloud.com/help/doc-detail/119484.html
 * - ALIYUN::CAS::Certificate   alibabacloud.com/help/en/resource-orchestration-service/latest/aliyun-cas-certificate
 * - ALIYUN::OOS::Execution     help.aliyun.com/en/ros/developer-reference/aliyun-oos-execution
 * - ALIYUN::RAM::OIDCProvider  alibabacloud.com/help/en/ros/developer-reference/aliyun-ram-oidcprovider
 * - ALIYUN::RAM::Role          alibabacloud.com/help/zh/ros/developer-reference/aliyun-ram-role
 */

import type { Impact } from './review-model';

export interface RosEditability {
  /** `'all'` when the reference marks every property "Editable: No". */
  readonly notEditable: 'all' | readonly string[];
  readonly editable: readonly string[];
}

export const ROS_EDITABILITY: Readonly<Record<string, RosEditability>> = {
  'ALIYUN::CDN::Domain': {
    notEditable: ['CdnType', 'DomainName', 'OriginServers', 'CheckUrl', 'Scope'],
    // TopLevelDomain and Tags are not stated either way: they fall through to "may replace".
    editable: ['Sources', 'ResourceGroupId'],
  },
  'ALIYUN::CDN::DomainConfig': { notEditable: 'all', editable: [] },
  'ALIYUN::CDN::StagingConfig': { notEditable: 'all', editable: [] },
  'ALIYUN::DNS::DomainRecord': {
    notEditable: ['DomainName'],
    editable: ['RR', 'Type', 'Value', 'TTL', 'Line', 'Priority'],
  },
  'ALIYUN::CAS::Certificate': { notEditable: 'all', editable: [] },
  'ALIYUN::OOS::Execution': { notEditable: 'all', editable: [] },
  'ALIYUN::RAM::OIDCProvider': {
    notEditable: ['Fingerprints', 'IssuerUrl', 'OIDCProviderName'],
    editable: ['ClientIds', 'Description', 'IssuanceLimitTime'],
  },
  'ALIYUN::RAM::Role': {
    notEditable: ['RoleName', 'Description', 'IgnoreExisting'],
    editable: ['AssumeRolePolicyDocument', 'MaxSessionDuration', 'Policies', 'DeletionForce', 'PolicyAttachments'],
  },
};

/**
 * What changing one top-level property of a ROS resource does on UpdateStack. A type or property missing from the
 * table is "may replace": the review must not promise an in-place update it cannot vouch for.
 */
export function rosPropertyImpact(resourceType: string, property: string): Impact {
  const facts = ROS_EDITABILITY[resourceType];
  if (!facts) return 'may-replace';
  if (facts.notEditable === 'all' || facts.notEditable.includes(property)) return 'replace';
  if (facts.editable.includes(property)) return 'update';
  return 'may-replace';
}
