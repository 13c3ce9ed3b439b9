import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Types } from 'mongoose';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emitWithAck, type SignedUpUser, socketPool, startTestApi, type TestApi } from '@test/support';
import { auth, cmid, connectedPair, type Json, type Pair } from '../chat/chat-fixtures.js';
import { scenario } from '../reliability/summary.js';

const root = (path: string): string => fileURLToPath(new URL(`../../${path}`, import.meta.url));

interface Schema {
  $ref?: string;
  properties?: Record<string, unknown>;
}
interface Operation {
  requestBody?: { content: Record<string, { schema: Schema }> };
  parameters?: Array<{ name: string; in: string }>;
}
type Doc = { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Schema> } };

// Operator payloads an attacker puts in a field (NoSQL injection); each must be refused, never matched.
const OPERATORS: unknown[] = [{ $gt: '' }, { $where: 'sleep(1000) || true' }, { $ne: null }, { 'a.b': 1 }, ['$gt', '']];
// Fields a client must never set (mass assignment), on top of any unknown name.
const PROTECTED = {
  _id: new Types.ObjectId().toHexString(),
  userId: new Types.ObjectId().toHexString(),
  role: 'admin',
  createdAt: '2000-01-01T00:00:00.000Z',
};

/**
 * Mass assignment and operator injection rows of issue 17, driven by docs/openapi.json: every JSON
 * write route gets unknown/protected fields and an operator in each of its fields; every query
 * parameter an operator (as qs would parse `a[$gt]=`). A route added later is covered by the same loop.
 */
describe('mass assignment and operator injection on every route and event', () => {
  let api: TestApi;
  let user: SignedUpUser;
  let pair: Pair;
  const sockets = socketPool();
  const doc = JSON.parse(readFileSync(root('docs/openapi.json'), 'utf8')) as Doc;
  const resolve = (s: Schema): Schema => (s.$ref ? doc.components.schemas[s.$ref.split('/').pop()!] : s);
  const call = (method: string, path: string): request.Test =>
    (request(api.url) as unknown as Record<string, (url: string) => request.Test>)[method](path);
  const concrete = (path: string): string => path.replace(/\{[^}]+\}/g, () => pair.chatId);

  beforeAll(async () => {
    api = await startTestApi();
    pair = await connectedPair(api);
    user = pair.a;
  });
  afterAll(async () => {
    sockets.closeAll();
    await api?.close();
  });

  it('refuses unknown and protected fields on every JSON write route with 400 naming them; nothing changes', () =>
    scenario('mass assignment (every JSON write route)', async (counts) => {
      const profileBefore = (await request(api.url).get('/users/me').set(auth(user))).body;
      const wrong: string[] = [];
      for (const [path, ops] of Object.entries(doc.paths)) {
        for (const [method, op] of Object.entries(ops)) {
          if (!op.requestBody?.content['application/json']) continue;
          counts.sent++;
          const res = await call(method, concrete(path))
            .set(auth(user))
            .send({ ...PROTECTED });
          const named = Object.keys(res.body.fields ?? {});
          if (res.status !== 400 || !['_id', 'userId', 'role'].every((f) => named.includes(f)))
            wrong.push(`${method.toUpperCase()} ${path}: ${res.status} ${JSON.stringify(res.body).slice(0, 120)}`);
          // A dotted top-level key (a path into a document when spread into an update) is refused too.
          const dotted = await call(method, concrete(path)).set(auth(user)).send({ 'profile.name': 'x' });
          if (dotted.status !== 400) wrong.push(`${method.toUpperCase()} ${path} dotted key: ${dotted.status}`);
        }
      }
      expect(wrong).toEqual([]);
      expect((await request(api.url).get('/users/me').set(auth(user))).body).toEqual(profileBefore);
      counts.note = `${counts.sent} write routes, all 400`;
    }));

  it('refuses an operator in every body field and query parameter with 400; never a match', () =>
    scenario('operator injection (every field of every route)', async (counts) => {
      const wrong: string[] = [];
      for (const [path, ops] of Object.entries(doc.paths)) {
        for (const [method, op] of Object.entries(ops)) {
          const body = op.requestBody?.content['application/json'];
          const fields = body ? Object.keys(resolve(body.schema).properties ?? {}) : [];
          for (const field of fields) {
            for (const operator of OPERATORS) {
              counts.sent++;
              const res = await call(method, concrete(path))
                .set(auth(user))
                .send({ [field]: operator });
              if (res.status !== 400)
                wrong.push(`${method.toUpperCase()} ${path} body.${field}=${JSON.stringify(operator)}: ${res.status}`);
            }
          }
          for (const param of (op.parameters ?? []).filter((p) => p.in === 'query')) {
            counts.sent++;
            const res = await call(method, `${concrete(path)}?${param.name}[$gt]=&${param.name}[$where]=1`).set(auth(user));
            // 400, or a public route that ignores it; never a 2xx carrying more than a normal answer.
            if (res.status !== 400) wrong.push(`${method.toUpperCase()} ${path} ?${param.name}[$gt]: ${res.status}`);
          }
        }
      }
      expect(wrong).toEqual([]);
      counts.note = `${counts.sent} injected requests, all 400`;
    }));

  it('refuses operators and unknown fields in every field of every client event', () =>
    scenario('operator injection (socket events)', async (counts) => {
      const socket = await sockets.connect(api.url, user.accessToken);
      const valid: Record<string, Record<string, unknown>> = {
        'chat:send': { chatId: pair.chatId, clientMessageId: cmid(), text: 'hi' },
        'chat:typing': { chatId: pair.chatId, typing: true },
        'message:delivered': { chatId: pair.chatId, upToSeq: 1 },
        'message:seen': { chatId: pair.chatId, upToSeq: 1 },
        'chat:history': { chatId: pair.chatId },
        'chat:sync': { cursors: { [pair.chatId]: 0 } },
      };
      const wrong: string[] = [];
      for (const [event, payload] of Object.entries(valid)) {
        const attempts = [
          ...Object.keys(payload).flatMap((field) => OPERATORS.map((op) => ({ ...payload, [field]: op }))),
          { ...payload, ...PROTECTED },
          ...(event === 'chat:sync' ? [{ cursors: { $gt: 0 } }, { cursors: { [pair.chatId]: { $gt: 0 } } }] : []),
        ];
        for (const attempt of attempts) {
          counts.sent++;
          const ack = await emitWithAck<Json>(socket, event, attempt);
          if (ack.ok || !/validation|bad_request|invalid/.test(ack.error.code))
            wrong.push(`${event} ${JSON.stringify(attempt)}: ${JSON.stringify(ack)}`);
        }
      }
      expect(wrong).toEqual([]);
      // Nothing was stored by any of them.
      const history = await request(api.url).get(`/chats/${pair.chatId}/messages`).set(auth(pair.b));
      expect(history.body.items).toEqual([]);
      counts.note = `${counts.sent} injected events, all refused`;
    }));
});
