import Credential from '@alicloud/credentials';
import { S3Client } from '@aws-sdk/client-s3';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DeployedSite } from '../../lib/config/deployed-site';
import type { SiteConfig } from '../../lib/config/resolve-stage';
import { createCdnApi, type CdnApi } from '../../lib/publish/cdn-refresh';
import { runPublish, type PublishOptions } from '../../lib/publish/run-publish';
import { AlibabaRpcServerTestDouble } from '../doubles/alibaba-rpc-server';
import { CdnApiTestDouble } from '../doubles/cdn-api-double';
import { S3TestDouble } from '../doubles/s3-double';
import { exampleStageWith } from '../helpers/stage-fixtures';

export const BUCKET = 'ali-cdn-test';
export const DOMAIN = 'test.test.com';
const KEY = { accessKeyId: 'LTAI-publish-test', accessKeySecret: 'publish-secret' };

/** Both test doubles, the official SDK clients pointed at them, and a folder to publish from. */
export class PublishWorld {
  readonly s3Double = new S3TestDouble(BUCKET);
  readonly rpc = new AlibabaRpcServerTestDouble({ credentials: [KEY] });
  readonly cdnDouble = new CdnApiTestDouble(this.rpc).addDomain(DOMAIN);
  readonly dirs: string[] = [];
  s3!: S3Client;
  cdn!: CdnApi;
  readonly warnings: string[] = [];

  async start(): Promise<void> {
    const endpoint = await this.s3Double.start();
    await this.rpc.start();
    this.s3 = new S3Client({
      region: 'ap-northeast-2',
      endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
      maxAttempts: 3,
    });
    this.cdn = createCdnApi({
      endpoint: this.rpc.endpoint,
      protocol: 'HTTP',
      credential: new Credential({ type: 'access_key', ...KEY } as never),
      retry: { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 1 },
      minuteWaitMs: 1,
    });
  }

  async close(): Promise<void> {
    this.s3.destroy();
    await this.s3Double.close();
    await this.rpc.close();
    for (const dir of this.dirs) fs.rmSync(dir, { recursive: true, force: true });
  }

  /** A fresh folder with these files (path → content). */
  folder(files: Record<string, string | Buffer>): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'publish-site-'));
    this.dirs.push(dir);
    for (const [name, content] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), content);
    }
    return dir;
  }

  publish(dir: string, overrides: Partial<PublishOptions> = {}, site: SiteConfig = siteWith()) {
    const deployed: DeployedSite = { bucketName: BUCKET, bucketRegion: 'ap-northeast-2', cdnDomain: DOMAIN };
    return runPublish(
      { site, deployed, dir, pollMs: 1, ...overrides },
      { s3: this.s3, cdn: this.cdn, warn: (message) => this.warnings.push(message), sleep: async () => undefined },
    );
  }
}

/** The example site with changes, validated as a stage file would be. */
export function siteWith(change: (site: any) => void = () => undefined): SiteConfig {
  return exampleStageWith((site) => {
    site.cache = { byFileType: [], byPath: [] };
    site.publish = {
      cacheControl: [
        { match: '**/*.html', value: 'no-cache' },
        { match: 'assets/**', value: 'public, max-age=31536000, immutable' },
      ],
    };
    change(site);
  }).sites[0];
}
