import { REFERER_SECRET_ROS_PARAMETERS } from '../origin-access/referer-secret';
import { SIGNED_ROS_PARAMETERS } from '../origin-access/signed';

/**
 * The CDN stack's interface with the outside: parameter and output names that the deploy command, the certificate
 * binding and the tests share.
 */

/** Parameter names shared with the deploy command, which fills them from the AWS stack's outputs. */
export const CDN_STACK_PARAMETERS = {
  bucketName: 'BucketName',
  bucketRegion: 'BucketRegion',
  originHost: 'OriginHost',
  originPathPrefix: 'OriginPathPrefix',
  /** cas certificates: the Certificate Management Service id, defaulting to the configured one. */
  casCertificateId: 'CasCertificateId',
  /**
   * "true" when Alibaba has approved the CDN domain (DescribeCdnDomainDetail: online), "false" while it is new and in
   * review: then the stack holds the domain only, and its configuration, certificate and DNS record wait. The deploy
   * command sets it (lib/deploy/ros/cdn-domain-review.ts); the default is the full site.
   */
  cdnDomainOnline: 'CdnDomainOnline',
} as const;

/** The condition every resource that configures or points at the CDN domain carries (see CdnDomainOnline). */
export const CDN_DOMAIN_CONFIGURABLE_CONDITION = 'CdnDomainConfigurable';

/**
 * Parameters that carry secrets. All are NoEcho and have no default: the deploy command reads the values from AWS
 * Secrets Manager at deploy time, so they never appear in a template, the repository or a log.
 */
export const CDN_STACK_SECRET_PARAMETERS = {
  // The origin-access modes' parameters, declared with their modes (`rosSecretParameters`).
  ...SIGNED_ROS_PARAMETERS,
  ...REFERER_SECRET_ROS_PARAMETERS,
  certificatePem: 'CertificatePem',
  certificatePrivateKey: 'CertificatePrivateKey',
} as const;

export const CDN_STACK_OUTPUTS = {
  cname: 'CdnCname',
  domain: 'CdnDomain',
  serviceUrl: 'ServiceUrl',
} as const;
