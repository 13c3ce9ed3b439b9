import request from 'supertest';
import type { Socket } from 'socket.io-client';
import { connectUsers, signUp, type SignedUpUser, type TestApi } from '@test/support';

export interface Pair {
  a: SignedUpUser;
  b: SignedUpUser;
  chatId: string;
}

/** Socket payloads and JSON bodies as the tests read them: loosely typed on purpose. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export const auth = (user: { accessToken: string }): { Authorization: string } => ({ Authorization: `Bearer ${user.accessToken}` });

let counter = 0;
/** A fresh clientMessageId. */
export const cmid = (tag = 'm'): string => `${tag}-${process.pid}-${Date.now()}-${++counter}`;

/** Two signed-up users, connected through the real QR flow, with their chat opened by `a`. */
export async function connectedPair(api: TestApi): Promise<Pair> {
  const [a, b] = await Promise.all([signUp(api), signUp(api)]);
  await connectUsers(api, a, b);
  const opened = await request(api.url).post('/chats').set(auth(a)).send({ peerId: b.userId });
  if (opened.status !== 201) throw new Error(`POST /chats answered ${opened.status}: ${JSON.stringify(opened.body)}`);
  return { a, b, chatId: (opened.body as { id: string }).id };
}

/** Sends a text over REST and returns the stored message (fails the test on anything but 201). */
export async function sendRest(api: TestApi, from: SignedUpUser, chatId: string, text: string, extra: Record<string, unknown> = {}) {
  const res = await request(api.url)
    .post(`/chats/${chatId}/messages`)
    .set(auth(from))
    .send({ clientMessageId: cmid(), text, ...extra });
  if (res.status !== 201) throw new Error(`send answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body as { id: string; seq: number; chatId: string; text: string | null; createdAt: string };
}

/** Every `event` payload the socket receives from now on. */
export function collect<T = Json>(socket: Socket, event: string): T[] {
  const seen: T[] = [];
  socket.on(event, (payload: T) => seen.push(payload));
  return seen;
}

export async function unreadOf(api: TestApi, user: SignedUpUser, chatId: string): Promise<number> {
  const res = await request(api.url).get('/chats').set(auth(user));
  const chat = (res.body.items as Array<{ id: string; unreadCount: number }>).find((c) => c.id === chatId);
  if (!chat) throw new Error(`chat ${chatId} not in GET /chats: ${JSON.stringify(res.body)}`);
  return chat.unreadCount;
}
