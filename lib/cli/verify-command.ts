import type { StageConfig } from '../config/resolve-stage';
import { outputsFilePath, readDeployOutputs } from '../deploy/deploy-outputs-file';
import type { S3Sender } from '../verify/probe-object';
import { errorDocumentUrl, responseHeadersFor } from '../ros/website-functions';
import { renderVerifyJson, renderVerifyTable, verifyExitCode } from '../verify/report';
import { runVerify, type RunVerifyOptions } from '../verify/run-verify';

export interface VerifyCommandOptions {
  readonly json?: boolean;
}

export interface VerifyDependencies {
  readonly s3: (region: string) => S3Sender;
  /** Test seams; the defaults are the system resolver and real HTTPS. */
  readonly resolveCname?: RunVerifyOptions['resolveCname'];
  readonly http?: RunVerifyOptions['http'];
  readonly print: (text: string) => void;
}

/**
 * `verify`: after a deploy, for every site of the stage: DNS CNAME to the CDN, a probe object served through the CDN
 * over HTTPS with the same bytes, HTTP redirected to HTTPS, and direct S3 requests refused. Exit 1 on any failure.
 */
export async function runVerifyCommand(
  stage: StageConfig,
  options: VerifyCommandOptions,
  deps: VerifyDependencies,
  projectDir = process.cwd(),
): Promise<number> {
  const outputs = readDeployOutputs(outputsFilePath(stage.stage, projectDir));
  let exitCode: 0 | 1 = 0;
  const reports: Record<string, unknown> = {};
  for (const site of stage.sites) {
    const deployed = outputs.sites[site.id];
    const cdnCname = deployed?.ros?.outputs.CdnCname;
    if (!deployed || !cdnCname) {
      deps.print(
        `${site.domain}: not deployed yet (no CDN Cname in ${outputsFilePath(stage.stage, projectDir)}); run \`npm run deploy -- --stage ${stage.stage}\` first.`,
      );
      exitCode = 1;
      continue;
    }
    const report = await runVerify({
      serviceDomain: site.domain,
      cdnCname,
      origin: { bucketName: site.bucket.name, bucketRegion: site.bucket.region, originPathPrefix: site.origin.pathPrefix },
      s3: deps.s3(site.bucket.region),
      resolveCname: deps.resolveCname,
      http: deps.http,
      website: {
        indexDocument: site.website.indexDocument,
        errorDocumentUrl: errorDocumentUrl(site),
        singlePageApp: site.website.singlePageApp,
        responseHeaders: responseHeadersFor(site),
      },
    });
    if (verifyExitCode(report) !== 0) exitCode = 1;
    if (options.json) reports[site.id] = JSON.parse(renderVerifyJson(report));
    else deps.print(`\n${site.domain}\n${renderVerifyTable(report)}`);
  }
  if (options.json) deps.print(JSON.stringify({ stage: stage.stage, ok: exitCode === 0, sites: reports }, null, 2));
  return exitCode;
}
