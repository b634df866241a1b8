import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { httpGet } from '../../lib/verify/http-client';

/** A plain HTTP test double whose behaviour each test sets. */
let handler: http.RequestListener = (_req, res) => res.end();
const server = http.createServer((req, res) => handler(req, res));
let port = 0;

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const toDouble = () => ({ host: '127.0.0.1', port });

describe('httpGet', () => {
  it('keeps the URL host as the Host header while connecting elsewhere', async () => {
    let seen: http.IncomingHttpHeaders = {};
    handler = (req, res) => {
      seen = req.headers;
      res.end(`${req.method} ${req.url}`);
    };
    const response = await httpGet('http://test.test.com/a/b%20c?x=1', { connectTo: toDouble });
    expect(response.status).toBe(200);
    expect(response.body.toString()).toBe('GET /a/b%20c?x=1');
    expect(seen.host).toBe('test.test.com');
  });

  it('asks connectTo with the default port of the scheme', async () => {
    const asked: unknown[] = [];
    handler = (_req, res) => res.end();
    await httpGet('http://test.test.com/', { connectTo: (target) => (asked.push(target), toDouble()) });
    await httpGet('http://test.test.com:8080/', { connectTo: (target) => (asked.push(target), toDouble()) });
    expect(asked).toEqual([
      { host: 'test.test.com', port: 80 },
      { host: 'test.test.com', port: 8080 },
    ]);
  });

  it('does not follow redirects', async () => {
    handler = (_req, res) => res.writeHead(301, { location: 'https://test.test.com/' }).end();
    const response = await httpGet('http://test.test.com/', { connectTo: toDouble });
    expect(response.status).toBe(301);
    expect(response.headers.location).toBe('https://test.test.com/');
  });

  it('refuses a body larger than the limit', async () => {
    handler = (_req, res) => res.end(Buffer.alloc(4096));
    await expect(httpGet('http://test.test.com/big', { connectTo: toDouble, maxBodyBytes: 1024 })).rejects.toThrow(
      'GET http://test.test.com/big: response body exceeds 1024 bytes.',
    );
  });

  it('gives up on a server that never answers', async () => {
    handler = () => undefined;
    await expect(httpGet('http://test.test.com/slow', { connectTo: toDouble, timeoutMs: 50 })).rejects.toThrow(
      'GET http://test.test.com/slow: no response within 50 ms.',
    );
  });

  it('rejects other URL schemes', async () => {
    await expect(httpGet('ftp://test.test.com/x')).rejects.toThrow(
      'Unsupported URL scheme in ftp://test.test.com/x; expected http or https.',
    );
  });
});
