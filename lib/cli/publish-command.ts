import { S3Client } from '@aws-sdk/client-s3';
import { readDeployedSite } from '../config/deployed-site';
import type { StageConfig } from '../config/resolve-stage';
import { errorMessage, exitCodeFor, S3AlicdnError } from '../errors';
import { createCdnApi, type CdnApi } from '../publish/cdn-refresh';
import { runPublish, type PublishSummary } from '../publish/run-publish';
import { PARTS_IN_FLIGHT, type S3Sender } from '../publish/s3-bucket';

export interface PublishFlags {
  readonly dir?: string;
  readonly prune?: boolean;
  readonly dryRun?: boolean;
  readonly wait?: boolean;
  readonly waitTimeout?: string;
  readonly concurrency?: string;
  readonly ci?: boolean;
}

export interface PublishCommandDependencies {
  /** The S3 client for the bucket's region; `concurrency` is how many files publish uploads at once. */
  readonly s3: (region: string, concurrency: number) => S3Sender;
  readonly cdn: () => CdnApi;
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** Whether stderr is a terminal: progress is drawn in place only there. */
  readonly tty: boolean;
}

/**
 * Endpoints for a local S3 server or CDN test double, read in one place. Unset, the SDKs use the public endpoints.
 * S3ALICDN_S3_ENDPOINT (e.g. http://127.0.0.1:4568) switches to path-style requests, as local servers need.
 */
export function realPublishDependencies(env: NodeJS.ProcessEnv = process.env): PublishCommandDependencies {
  const s3Endpoint = env.S3ALICDN_S3_ENDPOINT;
  const protocol = env.S3ALICDN_ALIBABA_PROTOCOL;
  return {
    s3: (region, concurrency) =>
      new S3Client({
        region,
        maxAttempts: 5,
        // Every upload carries Content-MD5, which S3 verifies; a second (CRC32) checksum per request only costs CPU.
        requestChecksumCalculation: 'WHEN_REQUIRED',
        // The SDK resolves each command type's middleware stack once instead of on every request (publish adds no
        // middleware after the first request): about a sixth less CPU per small file.
        cacheMiddleware: true,
        // Keep-alive sockets for every request publish can have in flight (each file, and up to four parts of a large
        // one), so that none queues inside the SDK's agent: publish's --concurrency is the one bound.
        requestHandler: {
          httpAgent: { maxSockets: concurrency * PARTS_IN_FLIGHT },
          httpsAgent: { maxSockets: concurrency * PARTS_IN_FLIGHT },
        },
        ...(s3Endpoint ? { endpoint: s3Endpoint, forcePathStyle: true } : {}),
      }),
    cdn: () => createCdnApi({ endpoint: env.S3ALICDN_CDN_ENDPOINT, protocol: protocol === 'HTTP' ? 'HTTP' : 'HTTPS' }),
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
    tty: Boolean(process.stderr.isTTY),
  };
}

function positiveNumber(flag: string, value: string | undefined, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1 || parsed > max)
    throw new S3AlicdnError('USAGE', `${flag}: "${value}" is not allowed; give a whole number from 1 to ${max}`);
  return parsed;
}

function renderSummary(summary: PublishSummary): string {
  const lines = [
    `${summary.domain}: ${summary.dryRun ? 'would upload' : 'uploaded'} ${summary.files.uploaded} of ${summary.files.total} files (${summary.bytesUploaded} bytes), ${summary.files.unchanged} unchanged, ${summary.dryRun ? 'would delete' : 'deleted'} ${summary.files.deleted}`,
    `  CDN refresh: ${summary.refresh.urls} URL(s)${summary.refresh.directories.length > 0 ? `, directories ${summary.refresh.directories.join(' ')}` : ''}${summary.refresh.reason ? ` (${summary.refresh.reason})` : ''}` +
      (summary.refresh.taskIds.length > 0
        ? `; task(s) ${summary.refresh.taskIds.join(',')}${summary.refresh.complete ? ' complete' : ' submitted (applies in 5-6 minutes; --wait waits)'}`
        : ''),
  ];
  if (summary.prefetch.urls > 0) lines.push(`  prefetch: ${summary.prefetch.urls} URL(s)`);
  if (summary.dryRun) {
    for (const key of summary.uploaded.slice(0, 50)) lines.push(`  + ${key}`);
    for (const key of summary.deleted.slice(0, 50)) lines.push(`  - ${key}`);
  }
  return lines.join('\n');
}

/** `publish`: one site at a time, since each has its own bucket, domain and folder. Exit 0, 1 or 2. */
export async function runPublishCommand(
  stage: StageConfig,
  flags: PublishFlags,
  deps: PublishCommandDependencies,
  projectDir = process.cwd(),
): Promise<number> {
  try {
    if (!flags.dir) throw new S3AlicdnError('USAGE', '--dir is required: the built folder to publish, e.g. --dir dist');
    if (stage.sites.length !== 1) {
      throw new S3AlicdnError(
        'USAGE',
        `--site is required: stage "${stage.stage}" has ${stage.sites.length} sites (${stage.sites.map((site) => site.id).join(', ')}), and each is published from its own folder`,
      );
    }
    const site = stage.sites[0];
    const deployed = readDeployedSite(site, projectDir);
    const waitTimeoutMs = positiveNumber('--wait-timeout', flags.waitTimeout, 900, 86_400) * 1000;
    const concurrency = positiveNumber('--concurrency', flags.concurrency, 16, 256);
    let lastLength = 0;
    const summary = await runPublish(
      {
        site,
        deployed,
        dir: flags.dir,
        prune: flags.prune,
        dryRun: flags.dryRun,
        wait: flags.wait,
        waitTimeoutMs,
        concurrency,
      },
      {
        s3: deps.s3(deployed.bucketRegion, concurrency),
        cdn: deps.cdn(),
        warn: (message) => deps.err(`warning: ${message}`),
        progress: (line, done) => {
          if (flags.ci || !deps.tty) return;
          process.stderr.write(`\r${line.padEnd(lastLength)}${done ? '\n' : ''}`);
          lastLength = done ? 0 : line.length;
        },
      },
    );
    if (lastLength > 0) deps.err('');
    deps.out(flags.ci ? JSON.stringify({ ok: true, ...summary }, null, 2) : renderSummary(summary));
    return 0;
  } catch (error) {
    if (flags.ci)
      deps.out(
        JSON.stringify(
          { ok: false, error: { code: (error as S3AlicdnError).code ?? 'UNEXPECTED', message: errorMessage(error) } },
          null,
          2,
        ),
      );
    deps.err(errorMessage(error));
    return exitCodeFor(error);
  }
}
