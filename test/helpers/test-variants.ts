/**
 * The stage variants the template tests look at, each a change to the example stage's first site. They are
 * synthesized once per test run by global-setup.ts (one process, so CDK's validation engine and cdk-nag load once)
 * instead of once per test file; every test still reads templates produced by the real synth path.
 */
export const TEST_VARIANTS = {
  signed: () => undefined,
  signedReaderCanList: (site: any) => (site.originAccess = { mode: 'signed', readerCanList: true }),
  signedUploadedCertificate: (site: any) => (site.certificate = { source: 'upload' }),
  refererSecret: (site: any) => (site.originAccess = { mode: 'referer-secret' }),
  refererSecretPinned: (site: any) => (site.originAccess = { mode: 'referer-secret' }),
  referer: (site: any) => (site.originAccess = { mode: 'referer' }),
  refererPathStyle: (site: any) => {
    site.originAccess = { mode: 'referer' };
    site.originUrlStyle = 'path';
  },
  refererUploadHotlink: (site: any) => {
    site.originAccess = { mode: 'referer' };
    site.certificate = { source: 'upload' };
    site.hotlinkProtection = { allowedReferers: ['test.com', '*.test.com'], allowEmptyReferer: false };
  },
  refererNoAlibabaDns: (site: any) => {
    site.originAccess = { mode: 'referer' };
    site.dns.provider = 'none';
  },
  signedRoute53: (site: any) => {
    site.dns = { zone: 'test.com', provider: 'route53', route53HostedZoneId: 'Z0123456789ABCDEFGHIJ' };
  },
} as const;

export type TestVariant = keyof typeof TEST_VARIANTS;

/** CDK context a variant is synthesized with, as the deploy command would pass it. */
export const TEST_VARIANT_AWS_CONTEXT: Partial<Record<TestVariant, Record<string, string>>> = {
  refererSecretPinned: { 's3alicdn:refererSecretVersion:test-test-com': 'a1b2c3d4-1111-2222-3333-444455556666' },
};

/** Fake credentials planted in the environment while the variants are synthesized: none may reach any output. */
export const PLANTED_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'AKIAPLANTEDTEST12345',
  AWS_SECRET_ACCESS_KEY: 'pLaNtEd/SecretAccessKey+ForTests0123456789',
  AWS_SESSION_TOKEN: 'PlantedSessionTokenValueForSecretHygieneTests',
  ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAIPlantedAccessKeyId123',
  ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'PlantedAlibabaSecretValue0123456789',
};

export const SYNTH_CACHE_ENV = 'S3ALICDN_TEST_SYNTH_DIR';
