import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freePort, type SignedUpUser, startApiProcess, type ApiProcess, startTestApi, type TestApi } from '@test/support';
import { auth, connectedPair, type Json } from './call-fixtures.js';

const root = (path: string): string => fileURLToPath(new URL(`../../${path}`, import.meta.url));
const TURN_SECRET = 'browser-turn-secret-0123456789';

// The flags the issue asks for: Debian's chromium, headless, fake camera/microphone granted without a prompt.
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
];

interface Turn {
  port: number;
  stop(): Promise<void>;
}

/** Debian's coturn on loopback, REST-secret auth, loopback peers allowed (test only: production denies private ranges). */
async function startTurn(secret: string): Promise<Turn> {
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'coturn-'));
  const proc: ChildProcess = spawn(
    'turnserver',
    [
      '-n',
      '--no-cli',
      '--listening-ip=127.0.0.1',
      '--relay-ip=127.0.0.1',
      `--listening-port=${port}`,
      '--use-auth-secret',
      `--static-auth-secret=${secret}`,
      '--realm=calls.test',
      '--allow-loopback-peers',
      '--no-tls',
      '--no-dtls',
      '--fingerprint',
      '--log-file=stdout',
      '--simple-log',
      `--pidfile=${join(dir, 'turnserver.pid')}`,
      `--db=${join(dir, 'turndb')}`,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`turnserver did not start:\n${out}`)), 15_000);
    const onData = (chunk: Buffer): void => {
      out += chunk.toString();
      if (/Total General servers/.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    };
    proc.stdout?.on('data', onData);
    proc.stderr?.on('data', onData);
    proc.once('exit', () => reject(new Error(`turnserver exited:\n${out}`)));
  });
  return {
    port,
    stop: async () => {
      if (proc.exitCode === null) {
        const exited = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGKILL');
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The test page and socket.io's browser client, from the test's own static server on 127.0.0.1. */
async function startStaticServer(): Promise<{ url: string; server: Server }> {
  const page = await readFile(root('test/calls/browser/call-page.html'));
  const client = await readFile(root('node_modules/socket.io-client/dist/socket.io.min.js'));
  const server = createServer((req, res) => {
    if (req.url === '/socket.io.min.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(client);
    else if (req.url === '/') res.writeHead(200, { 'content-type': 'text/html' }).end(page);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server };
}

/** Drives two headless Chromium instances (each with a fresh profile) calling each other through the api. */
describe('WebRTC calls between two real browsers', () => {
  let api: TestApi;
  let other: ApiProcess;
  let turn: Turn;
  let wrongTurn: Turn;
  let site: { url: string; server: Server };
  const contexts: Array<{ context: BrowserContext; dir: string }> = [];

  async function browserPage(apiUrl: string, user: SignedUpUser): Promise<Page> {
    const dir = await mkdtemp(join(tmpdir(), 'chromium-profile-'));
    const context = await chromium.launchPersistentContext(dir, {
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: CHROMIUM_FLAGS,
    });
    contexts.push({ context, dir });
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(site.url);
    await page.evaluate(([url, token]) => (globalThis as Json).signIn(url, token), [apiUrl, user.accessToken]);
    return page;
  }

  async function iceServers(user: SignedUpUser): Promise<Json[]> {
    const res = await request(api.url).get('/calls/ice-servers').set(auth(user));
    expect(res.status).toBe(200);
    return res.body.iceServers;
  }

  /** Caller on `api`, callee on the other process; resolves once the callee has answered. */
  async function call(config: (user: SignedUpUser) => Promise<Json>): Promise<{ caller: Page; callee: Page }> {
    const [a, b] = await connectedPair(api);
    const caller = await browserPage(api.url, a);
    const callee = await browserPage(other.url, b);
    const callId = await caller.evaluate(([peerId, cfg]) => (globalThis as Json).startCall(peerId, cfg), [
      b.userId,
      await config(a),
    ] as const);
    await callee.waitForFunction((id) => (globalThis as Json).client.incoming?.callId === id, callId);
    await callee.evaluate((cfg) => (globalThis as Json).answerCall(cfg), await config(b));
    return { caller, callee };
  }

  async function expectMediaFlowing(page: Page, candidateType: 'host' | 'relay'): Promise<void> {
    await page.waitForFunction(() => (globalThis as Json).connectionState() === 'connected', undefined, { timeout: 30_000 });
    const first = await page.evaluate(() => (globalThis as Json).mediaStats());
    await expect
      .poll(async () => (await page.evaluate(() => (globalThis as Json).mediaStats())).bytes, { timeout: 15_000 })
      .toBeGreaterThan(first.bytes);
    expect(first.bytes).toBeGreaterThanOrEqual(0);
    expect((await page.evaluate(() => (globalThis as Json).mediaStats())).localCandidateType).toBe(candidateType);
  }

  beforeAll(async () => {
    [turn, wrongTurn, site] = await Promise.all([startTurn(TURN_SECRET), startTurn('not-the-api-secret-987654321'), startStaticServer()]);
    api = await startTestApi({
      TURN_SECRET,
      TURN_URLS: `turn:127.0.0.1:${turn.port}?transport=udp`,
      STUN_URLS: `stun:127.0.0.1:${turn.port}`,
    });
    other = await startApiProcess(api.env);
  });
  const closeBrowsers = async (): Promise<void> => {
    for (const { context, dir } of contexts.splice(0)) {
      await context.close().catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    }
  };
  afterEach(closeBrowsers);
  afterAll(async () => {
    await closeBrowsers();
    await Promise.all([turn?.stop(), wrongTurn?.stop(), other?.stop('SIGKILL'), new Promise((r) => site?.server.close(r))]);
    await api?.close();
  });

  it('connects peer to peer through the server’s call:* signaling, with media flowing both ways, and hangs up', async () => {
    const { caller, callee } = await call(() => Promise.resolve({ iceServers: [] }));
    await expectMediaFlowing(caller, 'host');
    await expectMediaFlowing(callee, 'host');
    const ack = await callee.evaluate(() => (globalThis as Json).hangUp());
    expect(ack.ok).toBe(true);
    await caller.waitForFunction(() => (globalThis as Json).client.ended !== null);
    expect(await caller.evaluate(() => (globalThis as Json).client.ended)).toMatchObject({ reason: 'user_hangup' });
    expect(await caller.evaluate(() => (globalThis as Json).client.errors)).toEqual([]);
  });

  it('relays through coturn with iceTransportPolicy relay and the credentials of GET /calls/ice-servers', async () => {
    const { caller, callee } = await call(async (user) => ({ iceServers: await iceServers(user), iceTransportPolicy: 'relay' }));
    await expectMediaFlowing(caller, 'relay');
    await expectMediaFlowing(callee, 'relay');
  });

  it('gets no relay when the TURN server has another secret (its 401 reaches the page)', async () => {
    const wrong = async (user: SignedUpUser): Promise<Json> => {
      const servers = await iceServers(user);
      // The api's credentials, presented to a coturn configured with a different static-auth-secret.
      const withPort = servers.map((s: Json) => ({
        ...s,
        urls: s.urls.map((u: string) => u.replace(`:${turn.port}`, `:${wrongTurn.port}`)),
      }));
      return { iceServers: withPort, iceTransportPolicy: 'relay' };
    };
    const { caller } = await call(wrong);
    await caller.waitForFunction(() => (globalThis as Json).client.errors.some((e: Json) => e.event === 'icecandidateerror'), undefined, {
      timeout: 20_000,
    });
    const errors = await caller.evaluate(() => (globalThis as Json).client.errors);
    expect(errors.filter((e: Json) => e.event === 'icecandidateerror').map((e: Json) => e.errorCode)).toContain(401);
    expect(await caller.evaluate(() => (globalThis as Json).client.localTypes)).not.toContain('relay');
    expect(await caller.evaluate(() => (globalThis as Json).connectionState())).not.toBe('connected');
  });
});
