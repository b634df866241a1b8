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
  refererSecretRotating: (site: any) => (site.originAccess = { mode: 'referer-secret', acceptPreviousSecret: true }),
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

/** Fake credentials planted in the environment while the variants are synthesized: none may reach any output. */
export const PLANTED_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'AKIAPLANTEDTEST12345',
  AWS_SECRET_ACCESS_KEY: 'pLaNtEd/SecretAccessKey+ForTests0123456789',
  AWS_SESSION_TOKEN: 'PlantedSessionTokenValueForSecretHygieneTests',
  ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAIPlantedAccessKeyId123',
  ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'PlantedAlibabaSecretValue0123456789',
};

export const SYNTH_CACHE_ENV = 'S3ALICDN_TEST_SYNTH_DIR';
