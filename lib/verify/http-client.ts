import * as http from 'node:http';
import * as https from 'node:https';

export interface HttpEndpoint {
  readonly host: string;
  readonly port: number;
}

/**
 * Like curl's --connect-to: the URL (and so Host, SNI and certificate name) stays what the user sees, only the
 * TCP connection goes elsewhere. Return undefined to connect normally.
 */
export type ConnectTo = (target: HttpEndpoint) => HttpEndpoint | undefined;

export interface HttpClientOptions {
  readonly connectTo?: ConnectTo;
  /** Extra trusted CA certificates (PEM), e.g. a test double's self-signed certificate. */
  readonly ca?: string | readonly string[];
  /** @default 15000 */
  readonly timeoutMs?: number;
  /** Bodies beyond this are an error rather than unbounded memory. @default 16 MiB */
  readonly maxBodyBytes?: number;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
}

/** A single GET that never follows redirects: the checks need to see them. */
export function httpGet(url: string, options: HttpClientOptions = {}): Promise<HttpResponse> {
  const target = new URL(url);
  const secure = target.protocol === 'https:';
  if (!secure && target.protocol !== 'http:') {
    return Promise.reject(new Error(`Unsupported URL scheme in ${url}; expected http or https.`));
  }
  const requested: HttpEndpoint = { host: target.hostname, port: target.port ? Number(target.port) : secure ? 443 : 80 };
  const endpoint = options.connectTo?.(requested) ?? requested;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const maxBodyBytes = options.maxBodyBytes ?? 16 * 1024 * 1024;

  const requestOptions: https.RequestOptions = {
    host: endpoint.host,
    port: endpoint.port,
    path: `${target.pathname}${target.search}`,
    method: 'GET',
    headers: { host: target.host, 'user-agent': 'origin-verify/1', accept: '*/*' },
    agent: false,
    timeout: timeoutMs,
    ...(secure ? { servername: target.hostname, ...(options.ca ? { ca: [...[options.ca].flat()] } : {}) } : {}),
  };

  return new Promise((resolve, reject) => {
    // The first outcome wins: an oversized body must not be followed by a resolve from its 'end' event.
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      outcome();
    };
    const fail = (error: Error) => {
      settle(() => reject(error));
      request.destroy();
    };
    const request = (secure ? https : http).request(requestOptions, (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBodyBytes) return fail(new Error(`GET ${url}: response body exceeds ${maxBodyBytes} bytes.`));
        chunks.push(chunk);
      });
      response.on('end', () =>
        settle(() => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) })),
      );
      response.on('error', fail);
    });
    request.on('timeout', () => fail(new Error(`GET ${url}: no response within ${timeoutMs} ms.`)));
    request.on('error', fail);
    request.end();
  });
}

/** One line for a failed request: the error code tells DNS, TCP and TLS problems apart. */
export function describeRequestError(error: unknown): string {
  const err = error as NodeJS.ErrnoException;
  return err.code ? `${err.code}: ${err.message}` : (err.message ?? String(error));
}
