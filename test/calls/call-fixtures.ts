import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import request from 'supertest';
import type { Socket } from 'socket.io-client';
import { type Ack, connectUsers, emitWithAck, signUp, type SignedUpUser, type TestApi } from '@test/support';

/** Socket payloads and JSON bodies as the tests read them: loosely typed on purpose. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export const auth = (user: { accessToken: string }): { Authorization: string } => ({ Authorization: `Bearer ${user.accessToken}` });

/** A stand-in SDP: the server relays it untouched, so any text works outside the browser tests. */
export const sdp = (tag: string): string => `v=0\r\no=- ${tag} 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n`;

export const candidate = (n: number): { candidate: string; sdpMid: string; sdpMLineIndex: number } => ({
  candidate: `candidate:${n} 1 udp 2122260223 192.0.2.${n} ${50000 + n} typ host`,
  sdpMid: '0',
  sdpMLineIndex: 0,
});

export async function connectedPair(api: TestApi): Promise<[SignedUpUser, SignedUpUser]> {
  const [a, b] = await Promise.all([signUp(api), signUp(api)]);
  await connectUsers(api, a, b);
  return [a, b];
}

/** The ack's data, failing the test with the error when it was refused. */
export function okData<T = Json>(ack: Ack<T>): T {
  if (!ack.ok) throw new Error(`refused: ${JSON.stringify(ack.error)}`);
  return ack.data;
}

export async function invite(
  socket: Socket,
  peer: SignedUpUser,
  kind: 'audio' | 'video' = 'audio',
): Promise<{ callId: string; expiresAt: string }> {
  return okData(
    await emitWithAck<{ callId: string; expiresAt: string }>(socket, 'call:invite', { peerId: peer.userId, kind, sdp: sdp('offer') }),
  );
}

const openapi = JSON.parse(readFileSync(new URL('../../docs/openapi.json', import.meta.url), 'utf8'));
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats.default(ajv);
ajv.addSchema(openapi, 'openapi');

/** Fails when `body` does not match what docs/openapi.json promises for that route and status. */
export function expectDocumented(path: string, method: string, status: number, body: unknown): void {
  const ref = openapi.paths[path]?.[method]?.responses?.[status]?.content?.['application/json']?.schema?.$ref as string | undefined;
  if (!ref) throw new Error(`docs/openapi.json documents no JSON body for ${method} ${path} ${status}`);
  const validate = ajv.compile({ $ref: `openapi${ref}` });
  if (!validate(body)) throw new Error(`${method} ${path} ${status} does not match ${ref}: ${ajv.errorsText(validate.errors)}`);
}

export async function callLog(api: TestApi, user: SignedUpUser, query: Record<string, string | number> = {}): Promise<Json> {
  const res = await request(api.url).get('/calls').query(query).set(auth(user));
  if (res.status !== 200) throw new Error(`GET /calls answered ${res.status}: ${JSON.stringify(res.body)}`);
  expectDocumented('/calls', 'get', 200, res.body);
  return res.body;
}

/** The log entry of one call as `user` sees it (undefined when absent). */
export async function logEntry(api: TestApi, user: SignedUpUser, callId: string): Promise<Json> {
  const body = await callLog(api, user, { limit: 100 });
  return (body.items as Json[]).find((i) => i.id === callId);
}

export const errorCode = (ack: Ack): string | null => (ack.ok ? null : ack.error.code);
