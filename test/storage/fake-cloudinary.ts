import busboy from 'busboy';
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

const TYPES: Record<string, string> = { jpg: 'image/jpeg', png: 'image/png', webp: 'image/webp', mp4: 'video/mp4' };

/**
 * Stands in for Cloudinary's upload API and CDN in request-level tests: checks each signed API call
 * the way Cloudinary documents it (sorted params, `k=v&...` + api_secret, SHA-1), stores uploads, and
 * serves them back with Range support.
 */
export class FakeCloudinary {
  readonly calls: { path: string; params: Record<string, string> }[] = [];
  readonly objects = new Map<string, { body: Buffer; format?: string }>();
  failWith: { status: number; message: string } | null = null;
  private server!: Server;
  origin = '';
  host = '';

  constructor(
    readonly cloudName: string,
    readonly apiKey: string,
    private readonly apiSecret: string,
  ) {}

  async start(): Promise<void> {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.host = `127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    this.origin = `http://${this.host}`;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const api = new RegExp(`^/v1_1/${this.cloudName}/(image|video|raw)/(upload|destroy)$`).exec(path);
    if (req.method === 'POST' && api) {
      this.readForm(req)
        .then(({ params, file }) => this.api(res, path, api[1], api[2], params, file))
        .catch(() => this.json(res, 400, { error: { message: 'bad form' } }));
      return;
    }
    const delivery = new RegExp(`^/${this.cloudName}/(image|video|raw)/upload/(?:v\\d+/)?(.+)$`).exec(path);
    if ((req.method === 'GET' || req.method === 'HEAD') && delivery) return this.deliver(req, res, delivery[1], delivery[2]);
    res.writeHead(404).end();
  }

  private api(res: ServerResponse, path: string, type: string, action: string, params: Record<string, string>, file?: Buffer): void {
    this.calls.push({ path, params });
    const { signature, api_key, ...signed } = params;
    const toSign = Object.keys(signed)
      .sort()
      .map((k) => `${k}=${signed[k]}`)
      .join('&');
    if (
      api_key !== this.apiKey ||
      signature !==
        createHash('sha1')
          .update(toSign + this.apiSecret)
          .digest('hex')
    ) {
      return this.json(res, 401, { error: { message: 'Invalid Signature' } });
    }
    if (Math.abs(Number(params.timestamp) - Date.now() / 1000) > 3600) return this.json(res, 400, { error: { message: 'Stale request' } });
    if (this.failWith) return this.json(res, this.failWith.status, { error: { message: this.failWith.message } });
    const id = `${type}/${params.public_id}`;
    if (action === 'destroy') {
      const existed = this.objects.delete(id);
      return this.json(res, 200, { result: existed ? 'ok' : 'not found' });
    }
    if (!file) return this.json(res, 400, { error: { message: 'Missing required parameter - file' } });
    if (params.overwrite === 'false' && this.objects.has(id)) return this.json(res, 200, { existing: true });
    this.objects.set(id, { body: file });
    this.json(res, 200, { public_id: params.public_id, version: 1, bytes: file.length, resource_type: type });
  }

  private deliver(req: IncomingMessage, res: ServerResponse, type: string, rest: string): void {
    const dot = rest.lastIndexOf('.');
    const [publicId, format] = type === 'raw' || dot < 0 ? [rest, undefined] : [rest.slice(0, dot), rest.slice(dot + 1)];
    const object = this.objects.get(`${type}/${publicId}`);
    if (!object) return void res.writeHead(404).end();
    const ext = format ?? rest.slice(dot + 1);
    const headers = { 'Content-Type': TYPES[ext] ?? 'application/octet-stream', 'Accept-Ranges': 'bytes' };
    const range = /^bytes=(\d+)-(\d+)$/.exec(String(req.headers.range ?? ''));
    const size = object.body.length;
    if (range) {
      const start = Number(range[1]);
      const end = Math.min(Number(range[2]), size - 1);
      res.writeHead(206, { ...headers, 'Content-Length': end - start + 1, 'Content-Range': `bytes ${start}-${end}/${size}` });
      res.end(req.method === 'HEAD' ? undefined : object.body.subarray(start, end + 1));
    } else {
      res.writeHead(200, { ...headers, 'Content-Length': size });
      res.end(req.method === 'HEAD' ? undefined : object.body);
    }
  }

  private readForm(req: IncomingMessage): Promise<{ params: Record<string, string>; file?: Buffer }> {
    return new Promise((resolve, reject) => {
      const params: Record<string, string> = {};
      let file: Buffer | undefined;
      const parser = busboy({ headers: req.headers });
      parser.on('field', (name: string, value: string) => (params[name] = value));
      parser.on('file', (_name: string, stream: NodeJS.ReadableStream) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => (file = Buffer.concat(chunks)));
      });
      parser.on('close', () => resolve({ params, file }));
      parser.on('error', reject);
      req.pipe(parser);
    });
  }

  private json(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
  }
}
