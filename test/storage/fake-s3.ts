import { createHash, createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CapturedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

/**
 * A tiny S3-compatible server for request-level tests: path-style buckets, PUT/GET(Range)/HEAD/DELETE,
 * and a real AWS Signature V4 check (header-signed and presigned) against the shared secret, written
 * from the spec rather than with the SDK, so a wrongly signed request fails here as it would on S3.
 */
export class FakeS3 {
  readonly requests: CapturedRequest[] = [];
  readonly objects = new Map<string, { body: Buffer; contentType: string; cacheControl?: string }>();
  /** Set to make the next requests fail with this status and S3 error code. */
  failWith: { status: number; code: string } | null = null;
  private server!: Server;
  endpoint = '';

  constructor(
    readonly accessKeyId: string,
    private readonly secretAccessKey: string,
    readonly region: string,
  ) {}

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => this.handle(req, res, Buffer.concat(chunks)));
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.endpoint = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
    this.requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
    const problem = this.verifySignature(req, body);
    if (problem) return this.error(res, 403, 'SignatureDoesNotMatch', problem);
    if (this.failWith) return this.error(res, this.failWith.status, this.failWith.code, 'injected failure');
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const [, , ...rest] = path.split('/'); // "/bucket/key..."
    const key = rest.join('/');
    const object = this.objects.get(key);
    switch (req.method ?? '') {
      case 'PUT':
        this.objects.set(key, {
          body,
          contentType: String(req.headers['content-type']),
          cacheControl: req.headers['cache-control'],
        });
        res.writeHead(200, { ETag: '"x"' }).end();
        return;
      case 'DELETE':
        this.objects.delete(key);
        res.writeHead(204).end();
        return;
      case 'HEAD':
      case 'GET': {
        if (!object) return this.error(res, 404, 'NoSuchKey', 'The specified key does not exist.', req.method === 'HEAD');
        const range = /^bytes=(\d+)-(\d+)$/.exec(String(req.headers.range ?? ''));
        const size = object.body.length;
        const headers = { 'Content-Type': object.contentType, 'Accept-Ranges': 'bytes', 'Last-Modified': new Date().toUTCString() };
        if (range) {
          const start = Number(range[1]);
          const end = Math.min(Number(range[2]), size - 1);
          const slice = object.body.subarray(start, end + 1);
          res.writeHead(206, { ...headers, 'Content-Length': slice.length, 'Content-Range': `bytes ${start}-${end}/${size}` });
          res.end(req.method === 'HEAD' ? undefined : slice);
        } else {
          res.writeHead(200, { ...headers, 'Content-Length': size });
          res.end(req.method === 'HEAD' ? undefined : object.body);
        }
        return;
      }
      default:
        this.error(res, 405, 'MethodNotAllowed', 'nope');
    }
  }

  private error(res: ServerResponse, status: number, code: string, message: string, noBody = false): void {
    const xml = `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`;
    res.writeHead(status, { 'Content-Type': 'application/xml' }).end(noBody ? undefined : xml);
  }

  /** Returns why the signature is wrong, or null when it is right. */
  private verifySignature(req: IncomingMessage, body: Buffer): string | null {
    const url = new URL(req.url ?? '/', 'http://x');
    const presigned = url.searchParams.has('X-Amz-Signature');
    let credential: string, signedHeaders: string, signature: string, amzDate: string, payloadHash: string;
    if (presigned) {
      credential = url.searchParams.get('X-Amz-Credential') ?? '';
      signedHeaders = url.searchParams.get('X-Amz-SignedHeaders') ?? '';
      signature = url.searchParams.get('X-Amz-Signature') ?? '';
      amzDate = url.searchParams.get('X-Amz-Date') ?? '';
      payloadHash = 'UNSIGNED-PAYLOAD';
      const expires = Number(url.searchParams.get('X-Amz-Expires'));
      if (Date.parse(isoFromAmz(amzDate)) + expires * 1000 < Date.now()) return 'presigned URL expired';
    } else {
      const auth = /^AWS4-HMAC-SHA256 Credential=([^,]+), ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(
        String(req.headers.authorization ?? ''),
      );
      if (!auth) return 'missing or malformed Authorization header';
      [, credential, signedHeaders, signature] = auth;
      amzDate = String(req.headers['x-amz-date'] ?? '');
      payloadHash = String(req.headers['x-amz-content-sha256'] ?? '');
      if (payloadHash !== 'UNSIGNED-PAYLOAD' && payloadHash !== sha256(body)) return 'x-amz-content-sha256 does not match the body';
    }
    const [accessKeyId, date, region, service, terminator] = credential.split('/');
    if (accessKeyId !== this.accessKeyId || region !== this.region || service !== 's3' || terminator !== 'aws4_request') {
      return `bad credential scope ${credential}`;
    }
    if (!signedHeaders.split(';').includes('host')) return 'host is not signed';
    const query = [...url.searchParams.entries()]
      .filter(([k]) => k !== 'X-Amz-Signature')
      .map(([k, v]) => [encode(k), encode(v)])
      .sort(([a, x], [b, y]) => (a === b ? (x < y ? -1 : 1) : a < b ? -1 : 1))
      .map(([k, v]) => `${k}=${v}`)
      .join('&');
    const headers = signedHeaders
      .split(';')
      .map(
        (h) =>
          `${h}:${String(req.headers[h] ?? '')
            .trim()
            .replace(/\s+/g, ' ')}\n`,
      )
      .join('');
    const canonical = [req.method, url.pathname, query, headers, signedHeaders, payloadHash].join('\n');
    const scope = `${date}/${region}/s3/aws4_request`;
    const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n');
    let key: Buffer = hmac(`AWS4${this.secretAccessKey}`, date);
    for (const part of [region, 's3', 'aws4_request']) key = hmac(key, part);
    const expected = createHmac('sha256', key).update(toSign).digest('hex');
    return expected === signature ? null : 'signature does not match';
  }
}

const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data).digest();
const encode = (s: string): string => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const isoFromAmz = (d: string): string => d.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z');
