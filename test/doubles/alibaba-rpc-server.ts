/**
 * TEST DOUBLE: a local HTTP server on 127.0.0.1 that speaks the Alibaba Cloud RPC-style OpenAPI protocol the way the
 * official `@alicloud/openapi-core` based SDKs send it, so tests run the real SDK code path end to end.
 *
 * Wire facts this double relies on (read from @alicloud/openapi-core 1.0.8 `doRequest`/`doRPCRequest`):
 * - Every call is `POST /`. The default signer (ACS3-HMAC-SHA256) names the operation in the `x-acs-action` and
 *   `x-acs-version` headers and signs with an `Authorization: ACS3-HMAC-SHA256 Credential=..,SignedHeaders=..,
 *   Signature=..` header; the legacy signer (`signatureAlgorithm: 'v2'`) puts `Action`, `Version`, `AccessKeyId`,
 *   `Signature` (HMAC-SHA1) into the query string instead. Both are accepted here.
 * - Business parameters travel in the query string (lists flattened as `Parameters.1.ParameterKey`), large ones such
 *   as `TemplateBody` in an `application/x-www-form-urlencoded` body.
 * - Success is HTTP 200 with a JSON object that carries `RequestId`. Failure is HTTP 4xx/5xx with
 *   `{RequestId, HostId, Code, Message, Recommend}`; the SDK turns any `Code` containing "Throttling" into a
 *   `ThrottlingError`, other 4xx into `ClientError`, 5xx into `ServerError`, each with `code` and `statusCode`.
 */
import * as http from 'node:http';
import { type AddressInfo } from 'node:net';
import { createHash, createHmac, randomUUID } from 'node:crypto';

/** Throw this from a handler to answer with an Alibaba-style error body. */
export class AlibabaRpcError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'AlibabaRpcError';
  }
}

export interface RecordedRpcCall {
  readonly seq: number;
  readonly action: string;
  readonly version: string;
  /** Business parameters only (query + form body), protocol parameters such as Signature removed. */
  readonly params: Readonly<Record<string, string>>;
  readonly accessKeyId?: string;
  readonly signatureMethod: 'ACS3-HMAC-SHA256' | 'HMAC-SHA1' | 'none';
  /** The fault injected into this call, if any. */
  readonly fault?: RpcFault['kind'];
}

export type RpcFault =
  /** Flow control as Alibaba reports it: HTTP 400 `Throttling.User` by default (some gateways use 429). */
  | { kind: 'throttle'; httpStatus?: number; code?: string; retryAfterMs?: number }
  | { kind: 'server-error'; httpStatus?: 500 | 502 | 503 | 504; code?: string }
  /** Destroy the socket without answering. `afterHandler` lets the request take effect first. */
  | { kind: 'connection-reset'; afterHandler?: boolean }
  /** Run the handler, then hold the answer back for `delayMs` (past the client's read timeout). */
  | { kind: 'slow'; delayMs: number };

export type RpcHandler = (
  params: Readonly<Record<string, string>>,
  call: RecordedRpcCall,
) => Record<string, unknown> | Promise<Record<string, unknown>>;

export interface TestCredential {
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  readonly securityToken?: string;
}

export interface AlibabaRpcServerOptions {
  /** When set, every request must be signed by one of these keys, as the real gateway requires. */
  readonly credentials?: readonly TestCredential[];
  readonly hostId?: string;
}

const PROTOCOL_PARAMS = new Set([
  'Action',
  'Version',
  'Format',
  'Timestamp',
  'SignatureNonce',
  'SignatureMethod',
  'SignatureVersion',
  'AccessKeyId',
  'Signature',
  'SecurityToken',
  'SignatureType',
  'BearerToken',
]);

interface ScheduledFault {
  fault: RpcFault;
  remaining: number;
}

/** Alibaba's percent-encoding for signatures: RFC 3986, so `!'()*` are escaped too. */
function acsEncode(value: string): string {
  return encodeURIComponent(value)
    .replace(/!/g, '%21')
    .replace(/'/g, '%27')
    .replace(/\(/g, '%28')
    .replace(/\)/g, '%29')
    .replace(/\*/g, '%2A');
}

export class AlibabaRpcServerTestDouble {
  readonly calls: RecordedRpcCall[] = [];
  private readonly handlers = new Map<string, { handler: RpcHandler; version?: string }>();
  private readonly faults = new Map<string, ScheduledFault[]>();
  private readonly listeners: Array<(call: RecordedRpcCall) => void> = [];
  private readonly pendingTimers = new Set<NodeJS.Timeout>();
  private server?: http.Server;
  private seq = 0;

  constructor(private readonly options: AlibabaRpcServerOptions = {}) {}

  /** `host:port` to pass as the SDK's `endpoint` (with protocol `HTTP`). */
  get endpoint(): string {
    if (!this.server) throw new Error('test double not started');
    const { port } = this.server.address() as AddressInfo;
    return `127.0.0.1:${port}`;
  }

  handle(action: string, handler: RpcHandler, version?: string): this {
    this.handlers.set(action, { handler, version });
    return this;
  }

  /** Inject `fault` into the next `times` calls of `action` ('*' = any action). Per-action faults win over '*'. */
  scheduleFault(action: string, fault: RpcFault, times = 1): this {
    if (!(times >= 1)) throw new Error(`scheduleFault: times must be >= 1 (or Infinity), got ${times}`);
    const queue = this.faults.get(action) ?? [];
    queue.push({ fault, remaining: times });
    this.faults.set(action, queue);
    return this;
  }

  clearFaults(): void {
    this.faults.clear();
  }

  /** Called for every call after its fault has been decided, so a listener can change what *later* calls see. */
  onCall(listener: (call: RecordedRpcCall) => void): this {
    this.listeners.push(listener);
    return this;
  }

  callCount(action?: string): number {
    return action ? this.calls.filter((call) => call.action === action).length : this.calls.length;
  }

  resetCalls(): void {
    this.calls.length = 0;
  }

  async start(): Promise<string> {
    const server = http.createServer((req, res) => {
      this.serve(req, res).catch((err: unknown) => {
        if (!res.headersSent && !res.destroyed) this.sendError(res, 500, 'InternalError', String(err));
      });
    });
    server.keepAliveTimeout = 1000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    return this.endpoint;
  }

  async close(): Promise<void> {
    for (const t of this.pendingTimers) clearTimeout(t);
    this.pendingTimers.clear();
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    // The SDK's HTTP agent keeps sockets alive; close them or `close()` waits for their idle timeout.
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private takeFault(action: string): RpcFault | undefined {
    for (const key of [action, '*']) {
      const queue = this.faults.get(key);
      const next = queue?.[0];
      if (!queue || !next) continue;
      next.remaining -= 1;
      if (next.remaining <= 0) queue.shift();
      return next.fault;
    }
    return undefined;
  }

  private async serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const rawBody = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://local');
    const query: Record<string, string> = {};
    url.searchParams.forEach((value, key) => {
      query[key] = value;
    });
    const form: Record<string, string> = {};
    if (rawBody.length > 0)
      new URLSearchParams(rawBody.toString('utf8')).forEach((value, key) => {
        form[key] = value;
      });

    const action = headerValue(req, 'x-acs-action') ?? query.Action ?? '';
    const version = headerValue(req, 'x-acs-version') ?? query.Version ?? '';
    const params: Record<string, string> = {};
    for (const [k, v] of Object.entries({ ...query, ...form })) if (!PROTOCOL_PARAMS.has(k)) params[k] = v;

    const auth = this.authenticate(req, url, query, form, rawBody);
    const fault = this.takeFault(action);
    const call: RecordedRpcCall = {
      seq: ++this.seq,
      action,
      version,
      params,
      accessKeyId: auth.accessKeyId,
      signatureMethod: auth.method,
      fault: fault?.kind,
    };
    this.calls.push(call);
    for (const l of this.listeners) l(call);

    if (auth.error) return this.sendError(res, auth.error.httpStatus, auth.error.code, auth.error.message);
    if (fault?.kind === 'throttle') {
      if (fault.retryAfterMs !== undefined) res.setHeader('x-acs-retry-after', String(fault.retryAfterMs));
      return this.sendError(res, fault.httpStatus ?? 400, fault.code ?? 'Throttling.User', 'Request was denied due to user flow control.');
    }
    if (fault?.kind === 'server-error') {
      const status = fault.httpStatus ?? 503;
      return this.sendError(
        res,
        status,
        fault.code ?? (status === 500 ? 'InternalError' : 'ServiceUnavailable'),
        'The request has failed due to a temporary failure of the server.',
      );
    }
    if (fault?.kind === 'connection-reset' && !fault.afterHandler) {
      req.socket.destroy();
      return;
    }

    const outcome = await this.runHandler(action, version, params, call);
    if (fault?.kind === 'connection-reset') {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'slow') await this.delay(fault.delayMs);
    if (res.destroyed || res.writableEnded) return;
    if ('error' in outcome) return this.sendError(res, outcome.error.httpStatus, outcome.error.code, outcome.error.message);
    this.sendJson(res, 200, { ...outcome.body, RequestId: randomUUID().toUpperCase() });
  }

  private async runHandler(
    action: string,
    version: string,
    params: Record<string, string>,
    call: RecordedRpcCall,
  ): Promise<{ body: Record<string, unknown> } | { error: AlibabaRpcError }> {
    const entry = this.handlers.get(action);
    if (!entry) {
      return {
        error: new AlibabaRpcError(
          404,
          'InvalidAction.NotFound',
          `Specified api is not found, please check your url and method. (${action})`,
        ),
      };
    }
    if (entry.version && entry.version !== version) {
      return { error: new AlibabaRpcError(400, 'InvalidVersion', `Specified parameter Version is not valid: ${version}`) };
    }
    try {
      return { body: await entry.handler(params, call) };
    } catch (error) {
      if (error instanceof AlibabaRpcError) return { error };
      throw error;
    }
  }

  private authenticate(
    req: http.IncomingMessage,
    url: URL,
    query: Record<string, string>,
    form: Record<string, string>,
    rawBody: Buffer,
  ): { method: RecordedRpcCall['signatureMethod']; accessKeyId?: string; error?: AlibabaRpcError } {
    const authorization = headerValue(req, 'authorization');
    if (authorization?.startsWith('ACS3-HMAC-SHA256 ')) return this.checkAcs3(req, url, authorization, rawBody);
    if (query.Signature) return this.checkHmacSha1(query, form);
    if (!this.options.credentials) return { method: 'none' };
    return {
      method: 'none',
      error: new AlibabaRpcError(400, 'IncompleteSignature', 'The request signature does not conform to Aliyun standards.'),
    };
  }

  private findCredential(accessKeyId: string): TestCredential | undefined | 'unchecked' {
    if (!this.options.credentials) return 'unchecked';
    return this.options.credentials.find((credential) => credential.accessKeyId === accessKeyId);
  }

  private checkAcs3(req: http.IncomingMessage, url: URL, authorization: string, rawBody: Buffer) {
    const method = 'ACS3-HMAC-SHA256' as const;
    const fields = Object.fromEntries(
      authorization
        .slice(method.length + 1)
        .split(',')
        .map((kv) => {
          const i = kv.indexOf('=');
          return [kv.slice(0, i).trim(), kv.slice(i + 1).trim()];
        }),
    );
    const accessKeyId: string = fields.Credential ?? '';
    const cred = this.findCredential(accessKeyId);
    if (cred === 'unchecked') return { method, accessKeyId };
    if (!cred)
      return { method, accessKeyId, error: new AlibabaRpcError(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.') };
    const tokenError = checkSecurityToken(cred, headerValue(req, 'x-acs-security-token'));
    if (tokenError) return { method, accessKeyId, error: tokenError };

    const payloadHash = createHash('sha256').update(rawBody).digest('hex');
    if (headerValue(req, 'x-acs-content-sha256') !== payloadHash) {
      return {
        method,
        accessKeyId,
        error: new AlibabaRpcError(400, 'SignatureDoesNotMatch', 'The request body hash does not match x-acs-content-sha256.'),
      };
    }
    const signedHeaders: string[] = (fields.SignedHeaders ?? '').split(';').filter(Boolean);
    const canonicalQuery = [...url.searchParams.keys()]
      .sort()
      .map((key) => `${acsEncode(key)}=${acsEncode(url.searchParams.get(key) ?? '')}`)
      .join('&');
    const canonicalHeaders = signedHeaders
      .map((signedHeader) => `${signedHeader}:${(headerValue(req, signedHeader) ?? '').trim()}\n`)
      .join('');
    const canonicalRequest = [req.method, url.pathname, canonicalQuery, canonicalHeaders, signedHeaders.join(';'), payloadHash].join('\n');
    const stringToSign = `${method}\n${createHash('sha256').update(canonicalRequest).digest('hex')}`;
    const expected = createHmac('sha256', cred.accessKeySecret).update(stringToSign).digest('hex');
    if (expected !== fields.Signature) {
      return {
        method,
        accessKeyId,
        error: new AlibabaRpcError(400, 'SignatureDoesNotMatch', 'Specified signature does not match our calculation.'),
      };
    }
    return { method, accessKeyId };
  }

  private checkHmacSha1(query: Record<string, string>, form: Record<string, string>) {
    const method = 'HMAC-SHA1' as const;
    const accessKeyId = query.AccessKeyId ?? '';
    const cred = this.findCredential(accessKeyId);
    if (cred === 'unchecked') return { method, accessKeyId };
    if (!cred)
      return { method, accessKeyId, error: new AlibabaRpcError(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.') };
    const tokenError = checkSecurityToken(cred, query.SecurityToken);
    if (tokenError) return { method, accessKeyId, error: tokenError };
    const signed: Record<string, string> = { ...query, ...form };
    delete signed.Signature;
    const canonical = Object.keys(signed)
      .sort()
      .map((key) => `${acsEncode(key)}=${acsEncode(signed[key] ?? '')}`)
      .join('&');
    const stringToSign = `POST&${acsEncode('/')}&${acsEncode(canonical)}`;
    const expected = createHmac('sha1', `${cred.accessKeySecret}&`).update(stringToSign).digest('base64');
    if (expected !== query.Signature) {
      return {
        method,
        accessKeyId,
        error: new AlibabaRpcError(400, 'SignatureDoesNotMatch', 'Specified signature does not match our calculation.'),
      };
    }
    return { method, accessKeyId };
  }

  private delay(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.pendingTimers.delete(t);
        resolve();
      }, ms);
      this.pendingTimers.add(t);
    });
  }

  private sendError(res: http.ServerResponse, status: number, code: string, message: string): void {
    const requestId = randomUUID().toUpperCase();
    this.sendJson(res, status, {
      RequestId: requestId,
      HostId: this.options.hostId ?? 'test-double.aliyuncs.com',
      Code: code,
      Message: message,
      Recommend: `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(code)}&requestId=${requestId}`,
    });
  }

  private sendJson(res: http.ServerResponse, status: number, body: unknown): void {
    if (res.destroyed || res.writableEnded) return;
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json;charset=utf-8', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }
}

function checkSecurityToken(cred: TestCredential, token: string | undefined): AlibabaRpcError | undefined {
  if (cred.securityToken === undefined || cred.securityToken === token) return undefined;
  return new AlibabaRpcError(400, 'InvalidSecurityToken.MismatchWithAccessKey', 'Specified SecurityToken mismatch with the AccessKey.');
}

function headerValue(req: http.IncomingMessage, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v.join(',') : v;
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
