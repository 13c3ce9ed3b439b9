import { createECDH, type ECDH, generateKeyPairSync, randomBytes } from 'node:crypto';
import { createSecureServer, type Http2SecureServer, type Http2ServerRequest, type Http2ServerResponse } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { decrypt } from 'http_ece';
import { createPublicKey, type KeyObject } from 'node:crypto';
import { decodeProtectedHeader, importJWK, jwtVerify } from 'jose';
import webpush from 'web-push';
import { throwawayTls, type ThrowawayTls } from './tls.js';

/** One push as a provider received it, after the checks the real one would make passed. */
export interface ReceivedPush {
  provider: 'web' | 'fcm' | 'apns';
  /** Web: the subscription id in the endpoint path; FCM/APNs: the device token. */
  device: string;
  headers: Record<string, string>;
  /** Web: the decrypted JSON payload; FCM: the `message` object; APNs: the JSON body. */
  body: Record<string, unknown>;
  /** What this receiver answered. */
  status: number;
}

export interface Answer {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

const PROJECT_ID = 'test-project';
const TEAM_ID = 'TEAM123456';
const KEY_ID = 'KEY1234567';
const TOPIC = 'com.example.messaging';
const VAPID_SUBJECT = 'mailto:push-tests@example.com';

/**
 * A local stand-in for the three push services on one HTTPS server (HTTP/2 for APNs, HTTP/1.1 for Web
 * Push and FCM), with a throwaway CA. It checks what the real services check: the VAPID JWT (aud =
 * origin, exp, sub) and the aes128gcm body it decrypts with the subscription's keys (Web Push); the
 * OAuth2 service-account assertion and the bearer token it issued (FCM); the ES256 provider token and
 * the APNs headers (APNs). Anything wrong is recorded in `problems` and answered like the real one.
 */
export class PushReceiver {
  readonly received: ReceivedPush[] = [];
  readonly problems: string[] = [];
  url = '';
  private server!: Http2SecureServer;
  private tls!: ThrowawayTls;
  private readonly scripts = new Map<string, Answer[]>();
  private readonly subscriptions = new Map<string, { ecdh: ECDH; auth: string }>();
  private readonly issuedTokens = new Set<string>();
  private readonly listeners = new Set<() => void>();
  readonly vapid = webpush.generateVAPIDKeys();
  private readonly fcmKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  private readonly apnsKeys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  private readonly clientEmail = 'push-tests@test-project.iam.gserviceaccount.com';

  async start(): Promise<void> {
    this.tls = throwawayTls();
    this.server = createSecureServer({ key: this.tls.key, cert: this.tls.cert, allowHTTP1: true }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.handle(req, res, Buffer.concat(chunks)).catch((err: unknown) => {
          this.problems.push(`receiver crashed: ${String(err)}`);
          res.writeHead(500).end();
        });
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `https://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.tls.remove();
  }

  get caPath(): string {
    return this.tls.caPath;
  }

  /** Environment that points every provider of the worker (and api) at this receiver. */
  env(): Record<string, string> {
    return {
      WEB_PUSH_VAPID_PUBLIC_KEY: this.vapid.publicKey,
      WEB_PUSH_VAPID_PRIVATE_KEY: this.vapid.privateKey,
      WEB_PUSH_SUBJECT: VAPID_SUBJECT,
      FCM_PROJECT_ID: PROJECT_ID,
      FCM_SERVICE_ACCOUNT_JSON: JSON.stringify({
        type: 'service_account',
        project_id: PROJECT_ID,
        client_email: this.clientEmail,
        private_key: this.fcmKeys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        token_uri: `${this.url}/oauth2/token`,
      }),
      FCM_ENDPOINT: this.url,
      APNS_KEY: this.apnsKeys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      APNS_KEY_ID: KEY_ID,
      APNS_TEAM_ID: TEAM_ID,
      APNS_TOPIC: TOPIC,
      APNS_ENDPOINT: this.url,
      PUSH_ALLOW_PRIVATE_ENDPOINTS: 'true',
    };
  }

  /** A browser's PushSubscription.toJSON() whose endpoint is this receiver; it can decrypt what it gets. */
  newWebSubscription(): { id: string; subscription: { endpoint: string; expirationTime: null; keys: { p256dh: string; auth: string } } } {
    const id = randomBytes(8).toString('hex');
    const ecdh = createECDH('prime256v1');
    ecdh.generateKeys();
    const auth = randomBytes(16).toString('base64url');
    this.subscriptions.set(id, { ecdh, auth });
    return {
      id,
      subscription: {
        endpoint: `${this.url}/wp/${id}`,
        expirationTime: null,
        keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth },
      },
    };
  }

  /** The next answers for a device (consumed in order); afterwards the default success. */
  script(device: string, ...answers: Answer[]): void {
    this.scripts.set(device, [...(this.scripts.get(device) ?? []), ...answers]);
  }

  pushesTo(device: string): ReceivedPush[] {
    return this.received.filter((p) => p.device === device);
  }

  /** Resolves with the received pushes once `predicate` holds on them; rejects after `timeoutMs`. */
  waitFor(predicate: (received: ReceivedPush[]) => boolean, timeoutMs = 15_000): Promise<ReceivedPush[]> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (!predicate(this.received)) return;
        clearTimeout(timer);
        this.listeners.delete(check);
        resolve(this.received);
      };
      const timer = setTimeout(() => {
        this.listeners.delete(check);
        reject(
          new Error(
            `push receiver: condition not met in ${timeoutMs} ms; got ${JSON.stringify(this.received.map((r) => [r.provider, r.device, r.status]))}; problems: ${this.problems.join('; ')}`,
          ),
        );
      }, timeoutMs);
      this.listeners.add(check);
      check();
    });
  }

  private record(push: ReceivedPush): void {
    this.received.push(push);
    for (const l of [...this.listeners]) l();
  }

  private answerFor(device: string, fallback: Answer): Answer {
    const queue = this.scripts.get(device);
    return queue && queue.length > 0 ? queue.shift()! : fallback;
  }

  private reply(res: Http2ServerResponse, answer: Answer): void {
    const body = answer.body === undefined ? '' : JSON.stringify(answer.body);
    res.writeHead(answer.status, { 'content-type': 'application/json', ...(answer.headers ?? {}) });
    res.end(body);
  }

  private async handle(req: Http2ServerRequest, res: Http2ServerResponse, body: Buffer): Promise<void> {
    const path = req.url ?? '';
    const headers = Object.fromEntries(
      Object.entries(req.headers)
        .filter(([k]) => !k.startsWith(':'))
        .map(([k, v]) => [k, String(v)]),
    );
    if (req.method === 'POST' && path.startsWith('/wp/')) return this.webPush(path.slice(4), headers, body, res);
    if (req.method === 'POST' && path === '/oauth2/token') return this.fcmToken(body, res);
    if (req.method === 'POST' && path === `/v1/projects/${PROJECT_ID}/messages:send`) return this.fcmSend(headers, body, res);
    if (req.method === 'POST' && path.startsWith('/3/device/') && req.httpVersion === '2.0')
      return this.apns(decodeURIComponent(path.slice(10)), headers, body, res);
    this.problems.push(`unexpected request ${req.method} ${path} (HTTP/${req.httpVersion})`);
    res.writeHead(404).end();
  }

  private async webPush(id: string, headers: Record<string, string>, body: Buffer, res: Http2ServerResponse): Promise<void> {
    const sub = this.subscriptions.get(id);
    const fail = (status: number, problem: string): void => {
      this.problems.push(`web push ${id}: ${problem}`);
      res.writeHead(status).end();
    };
    if (!sub) return fail(404, 'unknown subscription');
    const auth = /^vapid t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/.exec(headers.authorization ?? '');
    if (!auth) return fail(401, `Authorization is not "vapid t=..., k=...": ${headers.authorization}`);
    if (auth[2] !== this.vapid.publicKey) return fail(403, 'k is not the server VAPID public key');
    const raw = Buffer.from(auth[2], 'base64url');
    const key = await importJWK(
      { kty: 'EC', crv: 'P-256', x: raw.subarray(1, 33).toString('base64url'), y: raw.subarray(33, 65).toString('base64url') },
      'ES256',
    );
    try {
      const { payload, protectedHeader } = await jwtVerify(auth[1], key, { audience: this.url, algorithms: ['ES256'] });
      if (protectedHeader.typ !== 'JWT') return fail(403, 'VAPID JWT typ is not JWT');
      if (payload.sub !== VAPID_SUBJECT) return fail(403, `VAPID sub ${payload.sub}`);
      if (!payload.exp || payload.exp > Date.now() / 1000 + 24 * 3600) return fail(403, 'VAPID exp missing or beyond 24 h');
    } catch (err) {
      return fail(403, `VAPID JWT: ${(err as Error).message}`);
    }
    if (headers['content-encoding'] !== 'aes128gcm') return fail(400, `Content-Encoding ${headers['content-encoding']}`);
    if (!/^\d+$/.test(headers.ttl ?? '')) return fail(400, 'TTL header missing');
    let payload: Record<string, unknown>;
    try {
      payload = JSON.parse(decrypt(body, { version: 'aes128gcm', privateKey: sub.ecdh, authSecret: sub.auth }).toString('utf8')) as Record<
        string,
        unknown
      >;
    } catch (err) {
      return fail(400, `aes128gcm body does not decrypt: ${(err as Error).message}`);
    }
    const answer = this.answerFor(id, { status: 201 });
    this.record({ provider: 'web', device: id, headers, body: payload, status: answer.status });
    this.reply(res, answer);
  }

  private async fcmToken(body: Buffer, res: Http2ServerResponse): Promise<void> {
    const form = new URLSearchParams(body.toString());
    try {
      if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') throw new Error(`grant_type ${form.get('grant_type')}`);
      const { payload } = await jwtVerify(form.get('assertion') ?? '', this.fcmKeys.publicKey, {
        issuer: this.clientEmail,
        audience: `${this.url}/oauth2/token`,
        algorithms: ['RS256'],
      });
      if (!String(payload.scope).includes('https://www.googleapis.com/auth/firebase.messaging'))
        throw new Error(`scope ${String(payload.scope)}`);
    } catch (err) {
      this.problems.push(`FCM token: ${(err as Error).message}`);
      return this.reply(res, { status: 400, body: { error: 'invalid_grant' } });
    }
    const token = `ya29.${randomBytes(12).toString('hex')}`;
    this.issuedTokens.add(token);
    this.reply(res, { status: 200, body: { access_token: token, expires_in: 3599, token_type: 'Bearer' } });
  }

  private fcmSend(headers: Record<string, string>, body: Buffer, res: Http2ServerResponse): void {
    const bearer = /^Bearer (.+)$/.exec(headers.authorization ?? '')?.[1];
    if (!bearer || !this.issuedTokens.has(bearer)) {
      this.problems.push('FCM send without a token this receiver issued');
      return this.reply(res, { status: 401, body: { error: { code: 401, status: 'UNAUTHENTICATED' } } });
    }
    const message = (JSON.parse(body.toString()) as { message?: Record<string, unknown> }).message;
    const token = typeof message?.token === 'string' ? message.token : '';
    const data = message?.data as Record<string, unknown> | undefined;
    const android = message?.android as { collapse_key?: unknown } | undefined;
    if (!token || !data || Object.values(data).some((v) => typeof v !== 'string') || typeof android?.collapse_key !== 'string') {
      this.problems.push(`FCM message shape: ${body.toString()}`);
      return this.reply(res, { status: 400, body: { error: { code: 400, status: 'INVALID_ARGUMENT' } } });
    }
    const answer = this.answerFor(token, {
      status: 200,
      body: { name: `projects/${PROJECT_ID}/messages/${randomBytes(4).toString('hex')}` },
    });
    this.record({ provider: 'fcm', device: token, headers, body: message!, status: answer.status });
    this.reply(res, answer);
  }

  private async apns(token: string, headers: Record<string, string>, body: Buffer, res: Http2ServerResponse): Promise<void> {
    const fail = (status: number, reason: string): void => {
      this.problems.push(`APNs ${token}: ${reason}`);
      this.reply(res, { status, body: { reason } });
    };
    const jwt = /^bearer (.+)$/.exec(headers.authorization ?? '')?.[1];
    if (!jwt) return fail(403, 'MissingProviderToken');
    try {
      if (decodeProtectedHeader(jwt).kid !== KEY_ID) throw new Error('kid');
      await jwtVerify(jwt, this.apnsPublicKey(), { issuer: TEAM_ID, algorithms: ['ES256'] });
    } catch {
      return fail(403, 'InvalidProviderToken');
    }
    const type = headers['apns-push-type'];
    if (type !== 'alert' && type !== 'voip') return fail(400, 'InvalidPushType');
    if (headers['apns-topic'] !== (type === 'voip' ? `${TOPIC}.voip` : TOPIC)) return fail(400, 'TopicDisallowed');
    const answer = this.answerFor(token, { status: 200 });
    this.record({
      provider: 'apns',
      device: token,
      headers,
      body: JSON.parse(body.toString()) as Record<string, unknown>,
      status: answer.status,
    });
    this.reply(res, answer);
  }

  private apnsPublicKey(): KeyObject {
    return createPublicKey(this.apnsKeys.publicKey.export({ type: 'spki', format: 'pem' }));
  }
}
