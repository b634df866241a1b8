import { z } from 'zod';
import { AWS_COMMERCIAL_REGIONS } from './aws-regions';

/**
 * The stage configuration schema: one JSON file per stage under `config/`, read by both apps and by the CLI.
 *
 * Every message below says what is allowed; the loader prefixes it with the field path and the value it got,
 * so a user sees e.g. `sites[0].bucket.name: "Ali_CDN" is not allowed: use 3-63 characters ...`.
 */

/** Seconds: the CDN accepts 1..99,999,999 for TTL rules (filetype_based_ttl_set / path_based_ttl_set). */
export const MAX_CDN_TTL_SECONDS = 99_999_999;
export const ORIGIN_ACCESS_MODES = ['signed', 'referer-secret', 'referer'] as const;
/** The modes that read each `originAccess` option: set under any other mode, it would silently do nothing. */
export const ORIGIN_ACCESS_OPTION_MODES: Readonly<Record<'readerCanList', readonly (typeof ORIGIN_ACCESS_MODES)[number][]>> = {
  readerCanList: ['signed'],
};
export const CDN_SCOPES = ['overseas', 'domestic', 'global'] as const;
export const CDN_TYPES = ['web', 'download', 'video'] as const;
export const ORIGIN_URL_STYLES = ['virtual-hosted', 'path'] as const;
export const DNS_PROVIDERS = ['alidns', 'route53', 'none'] as const;
export const CAS_REGIONS = ['ap-southeast-1', 'cn-hangzhou'] as const;

const DOMAIN_LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
const DOMAIN_PATTERN = new RegExp(`^(?:${DOMAIN_LABEL}\\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$`);
export const DOMAIN_RULE =
  'use a lowercase DNS name with at least two labels, each 1-63 letters, digits or inner hyphens (e.g. cdn.example.com)';

const domainName = z
  .string({ error: `must be a string; ${DOMAIN_RULE}` })
  .refine((value) => value.length <= 253 && DOMAIN_PATTERN.test(value), { message: DOMAIN_RULE });

// Dots are refused although S3 allows them: the *.s3.<region>.amazonaws.com certificate does not cover a dotted
// bucket name in virtual-hosted style, so the CDN's HTTPS origin fetch would fail its TLS check.
export const BUCKET_RULE =
  'use 3-63 characters: lowercase letters, digits and hyphens, starting and ending with a letter or digit ' +
  '(no uppercase, dots or underscores; no xn--, sthree- or amzn-s3-demo- prefix; no -s3alias, --ol-s3, --x-s3 or --table-s3 suffix)';
const bucketName = z
  .string({ error: `must be a string; ${BUCKET_RULE}` })
  .refine(
    (value) =>
      /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/.test(value) &&
      !/^(xn--|sthree-|amzn-s3-demo-)/.test(value) &&
      !/(-s3alias|--ol-s3|--x-s3|--table-s3)$/.test(value),
    { message: BUCKET_RULE },
  );

const awsRegion = z
  .string({ error: 'must be a string naming an AWS commercial region, e.g. ap-northeast-2' })
  .refine((value) => (AWS_COMMERCIAL_REGIONS as readonly string[]).includes(value), {
    message: `must be an AWS commercial region: ${AWS_COMMERCIAL_REGIONS.join(', ')}`,
  });

/**
 * A whole number from `min` to `max`. One message for every way a value can miss (not a number, a fraction, out of
 * range), so the user reads the whole rule whichever check failed first.
 */
function wholeNumber(min: number, max: number, what = '', note = '') {
  const message = `must be a whole number${what ? ` of ${what}` : ''} from ${min} to ${max}${note ? ` (${note})` : ''}`;
  return z.number({ error: message }).int({ message }).min(min, { message }).max(max, { message });
}

const ttlSeconds = wholeNumber(1, MAX_CDN_TTL_SECONDS, 'seconds');

const ruleWeight = wholeNumber(1, 99, '', 'higher wins when rules overlap');

function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: `must be one of: ${values.join(', ')}` });
}

// ROS and Alibaba tag rules are stricter than AWS's, so they are the ones enforced for tags applied to both clouds.
export const TAG_RULE =
  'tag keys need 1-128 characters and values at most 128; neither may start with "aliyun" or "acs:" nor contain "http://" or "https://"';
const badTagText = (value: string, min: number) =>
  value.length < min || value.length > 128 || /^(aliyun|acs:)/i.test(value) || /https?:\/\//i.test(value);

const tags = z
  .record(z.string(), z.string({ error: 'a tag value must be a string' }), { error: 'must be an object of tag names to string values' })
  .superRefine((record, ctx) => {
    const keys = Object.keys(record);
    if (keys.length > 20) ctx.addIssue({ code: 'custom', message: `has ${keys.length} tags; at most 20 (an Alibaba CDN domain limit)` });
    for (const key of keys) {
      if (badTagText(key, 1))
        ctx.addIssue({ code: 'custom', path: [key], message: `the tag key ${JSON.stringify(key)} breaks the rule: ${TAG_RULE}` });
      else if (badTagText(record[key], 0)) ctx.addIssue({ code: 'custom', path: [key], message: TAG_RULE });
    }
  });

const cacheByFileType = z.strictObject({
  /** File extensions without dots, case-sensitive as the CDN matches them, e.g. ["jpg", "png"]. */
  fileTypes: z
    .array(z.string().regex(/^[A-Za-z0-9]{1,16}$/, { message: 'a file type is 1-16 letters or digits without a dot, e.g. jpg' }), {
      error: 'must be a list of file extensions, e.g. ["jpg", "png"]',
    })
    .min(1, { message: 'must list at least one file extension' }),
  ttlSeconds,
  weight: ruleWeight.optional(),
});

const cacheByPath = z.strictObject({
  path: z
    .string({ error: 'must be a string path starting with /' })
    .regex(/^\/[A-Za-z0-9._~\-/]*$/, { message: 'must start with / and use only letters, digits and . _ ~ - /' }),
  ttlSeconds,
  weight: ruleWeight.optional(),
});

const certificate = z.discriminatedUnion(
  'source',
  [
    z.strictObject({
      /** An existing certificate in Alibaba Cloud Certificate Management Service (recommended). */
      source: z.literal('cas'),
      certificateId: z
        .string({ error: 'must be the numeric CAS certificate id as a string, e.g. "12345678"' })
        .regex(/^[0-9]{1,20}$/, { message: 'must be the numeric CAS certificate id as a string, e.g. "12345678"' }),
      region: oneOf(CAS_REGIONS).default('ap-southeast-1'),
    }),
    z.strictObject({
      /** PEM certificate and key supplied at deploy time as NoEcho parameters and uploaded to CAS by the stack. */
      source: z.literal('upload'),
    }),
  ],
  { error: 'must be an object whose "source" is "cas" (with "certificateId") or "upload"' },
);

const hotlinkProtection = z.strictObject({
  /** Viewer Referer domains allowed through the CDN (referer_white_list_set); wildcards like *.example.com allowed. */
  allowedReferers: z
    .array(z.string().regex(/^(\*\.)?[a-z0-9.-]+$/, { message: 'a referer domain looks like example.com or *.example.com' }))
    .min(1, { message: 'must list at least one referer domain' }),
  /** Whether requests without a Referer (direct visits, many apps) are served. */
  allowEmptyReferer: z.boolean({ error: 'must be true or false' }).default(true),
});

// An object key relative to the site root: no leading slash, no "." or ".." segments, nothing the CDN must escape.
const SITE_PATH_RULE =
  'must be a file path relative to the site root such as "index.html" or "docs/404.html" (no leading "/", no "." or ".." segments)';
const sitePath = z
  .string({ error: SITE_PATH_RULE })
  .regex(/^(?!\/)(?!.*(^|\/)\.{1,2}(\/|$))[A-Za-z0-9._~\-/]{1,255}$/, { message: SITE_PATH_RULE })
  .refine((value) => !value.endsWith('/'), { message: SITE_PATH_RULE });

const HEADER_VALUE_RULE = 'must be 1-1024 printable ASCII characters';
const headerValue = z.string({ error: HEADER_VALUE_RULE }).regex(/^[\x20-\x7e]{1,1024}$/, { message: HEADER_VALUE_RULE });

/** Defaults for what the site serves; see docs/publishing.md for why index.html is on by default. */
export const WEBSITE_DEFAULTS = {
  indexDocument: 'index.html',
  singlePageApp: false,
  securityHeaders: true,
  corsOrigins: [] as string[],
} as const;

const website = z.strictObject(
  {
    /**
     * Served for "/" and every ".../" URL, through the CDN's back-to-origin URL rewrite (the S3 REST endpoint has no
     * index documents: GET / is a bucket listing). false turns it off.
     */
    indexDocument: z
      .union([sitePath, z.literal(false)], { error: `must be false or a file name such as "index.html"; ${SITE_PATH_RULE}` })
      .default(WEBSITE_DEFAULTS.indexDocument),
    /** Shown for 403 and 404 through the CDN's error page function (a redirect to this page, see docs/publishing.md). */
    errorDocument: sitePath.optional(),
    /** Unknown extension-less paths serve the index document with status 200 (client-side routing). */
    singlePageApp: z.boolean({ error: 'must be true or false' }).default(WEBSITE_DEFAULTS.singlePageApp),
    /** X-Content-Type-Options: nosniff and Referrer-Policy: strict-origin-when-cross-origin on every response. */
    securityHeaders: z.boolean({ error: 'must be true or false' }).default(WEBSITE_DEFAULTS.securityHeaders),
    contentSecurityPolicy: headerValue.optional(),
    frameOptions: oneOf(['DENY', 'SAMEORIGIN'] as const).optional(),
    /** Origins allowed to read the site's files cross-origin, e.g. ["https://app.example.com"], or ["*"]. */
    corsOrigins: z
      .array(
        z.string().regex(/^(\*|https?:\/\/[a-z0-9.-]+(:[0-9]{1,5})?)$/, {
          message: 'an origin looks like https://app.example.com (scheme, host, optional port) or is "*"',
        }),
        { error: 'must be a list of origins such as ["https://app.example.com"]' },
      )
      .default([]),
  },
  { error: 'must be an object such as {"indexDocument": "index.html", "errorDocument": "404.html"}' },
);

export const PUBLISH_DEFAULTS = {
  cacheControl: [{ match: '**/*.html', value: 'no-cache' }],
  defaultCacheControl: 'public, max-age=3600',
  entryPoints: ['**/*.html'],
  prefetch: [] as string[],
};

const GLOB_RULE = 'must be a glob relative to the folder being published, such as "**/*.html" or "assets/**"';
const glob = z.string({ error: GLOB_RULE }).regex(/^[^\s/][^\s]{0,255}$/, { message: GLOB_RULE });

const publishSettings = z.strictObject(
  {
    /** First matching rule wins; files no rule matches get defaultCacheControl. */
    cacheControl: z
      .array(z.strictObject({ match: glob, value: headerValue }), {
        error: 'must be a list of {"match": "<glob>", "value": "<Cache-Control>"}',
      })
      .default(PUBLISH_DEFAULTS.cacheControl),
    defaultCacheControl: headerValue.default(PUBLISH_DEFAULTS.defaultCacheControl),
    /** Files uploaded last, after every asset they may reference is in place. */
    entryPoints: z.array(glob, { error: 'must be a list of globs such as ["**/*.html"]' }).default(PUBLISH_DEFAULTS.entryPoints),
    /** Paths prefetched into the CDN after a publish (PushObjectCache), e.g. ["index.html"]. */
    prefetch: z
      .array(sitePath, { error: 'must be a list of file paths such as ["index.html"]' })
      .max(100, { message: 'at most 100 paths (one PushObjectCache call)' })
      .default(PUBLISH_DEFAULTS.prefetch),
  },
  { error: 'must be an object such as {"cacheControl": [{"match": "**/*.html", "value": "no-cache"}]}' },
);

export const siteSchema = z.strictObject(
  {
    /** The service (acceleration) domain viewers use, e.g. test.test.com. */
    domain: domainName,
    dns: z
      .strictObject({
        /** The DNS zone holding the record; derived when omitted: the domain minus its first label. */
        zone: domainName.optional(),
        /** The record name inside the zone; derived from domain and zone when omitted ("@" for the apex). */
        recordName: z
          .string()
          .regex(/^(@|[a-z0-9](?:[a-z0-9.-]{0,61}[a-z0-9])?)$/, {
            message: 'must be "@" or a relative record name such as "cdn" or "img.cdn"',
          })
          .optional(),
        provider: oneOf(DNS_PROVIDERS).default('alidns'),
        /** route53 only: the public hosted zone id of dns.zone (found in the Route 53 console). */
        route53HostedZoneId: z
          .string({ error: 'must be a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ' })
          .regex(/^Z[A-Z0-9]{1,31}$/, { message: 'must be a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ' })
          .optional(),
        ttlSeconds: wholeNumber(60, 86400, 'seconds').default(600),
      })
      .prefault({}),
    bucket: z.strictObject(
      {
        name: bucketName,
        region: awsRegion,
        /** Days a replaced or deleted object version is kept (versioned bucket); publishing would otherwise pile them up. */
        noncurrentVersionDays: wholeNumber(1, 3650, 'days').default(30),
      },
      { error: 'must be an object with "name" and "region"' },
    ),
    /** virtual-hosted (default, recommended by AWS) or path (the guide's style; the URL then carries the bucket name). */
    originUrlStyle: oneOf(ORIGIN_URL_STYLES).default('virtual-hosted'),
    originAccess: z
      .strictObject({
        mode: oneOf(ORIGIN_ACCESS_MODES).default('signed'),
        /**
         * signed mode: also grant the reader s3:ListBucket, so a missing key answers 404 instead of 403. It lets the
         * CDN (and anyone holding the reader key) learn which keys exist, so it is off by default.
         */
        readerCanList: z.boolean({ error: 'must be true or false' }).default(false),
      })
      // prefault: an omitted object is parsed as {}, so the field defaults above are the only statement of them.
      .prefault({}),
    cdn: z
      .strictObject({
        /** overseas needs no ICP filing; domestic and global serve mainland China and need one. */
        scope: oneOf(CDN_SCOPES).default('overseas'),
        type: oneOf(CDN_TYPES).default('web'),
        hstsMaxAgeSeconds: wholeNumber(0, 63_072_000, 'seconds').default(5_184_000),
      })
      .prefault({}),
    certificate,
    cache: z
      .strictObject({
        byFileType: z.array(cacheByFileType).default([]),
        byPath: z.array(cacheByPath).default([]),
      })
      .prefault({}),
    hotlinkProtection: hotlinkProtection.optional(),
    website: website.prefault({}),
    publish: publishSettings.prefault({}),
    tags: tags.default({}),
  },
  { error: 'must be an object describing one site (domain, bucket, certificate, ...)' },
);

/** Alibaba Cloud CDN's default per-account limit on accelerated domains (AddCdnDomain). */
export const DEFAULT_CDN_DOMAIN_QUOTA = 50;

export const stageSchema = z.strictObject({
  /** Optional JSON-schema pointer for editors; ignored. */
  $schema: z.string().optional(),
  aws: z
    .strictObject({
      /** Pin the AWS account the stage deploys to; deploy refuses credentials for another account. */
      account: z
        .string()
        .regex(/^[0-9]{12}$/, { message: 'must be a 12-digit AWS account id' })
        .optional(),
    })
    .prefault({}),
  alibaba: z.strictObject(
    {
      /** Region of the ROS stack (CDN itself is global; this is where ROS keeps the stack). */
      region: z
        .string({ error: 'must be an Alibaba Cloud region id such as ap-southeast-1' })
        .regex(/^[a-z]{2}-[a-z]+(-[0-9]+)?$/, { message: 'must be an Alibaba Cloud region id such as ap-southeast-1' }),
      /**
       * CDN domains the account may hold. Alibaba's default is 50 (AddCdnDomain); it can be raised in Quota Center.
       * Synth refuses a stage with more sites than this, instead of a deploy failing at the 51st domain.
       */
      cdnDomainQuota: z
        .number({ error: 'must be a whole number: the CDN domain quota of the Alibaba Cloud account' })
        .int({ message: 'must be a whole number: the CDN domain quota of the Alibaba Cloud account' })
        .min(1, { message: 'must be at least 1' })
        .max(100_000, { message: 'must be at most 100000' })
        .default(DEFAULT_CDN_DOMAIN_QUOTA),
    },
    { error: 'must be an object with "region", the Alibaba Cloud region of the ROS stacks' },
  ),
  sites: z.array(siteSchema, { error: 'must be a list of sites' }).min(1, { message: 'must list at least one site' }),
});

export type SiteInput = z.input<typeof siteSchema>;
export type StageInput = z.input<typeof stageSchema>;
export type ParsedSite = z.output<typeof siteSchema>;
export type ParsedStage = z.output<typeof stageSchema>;
