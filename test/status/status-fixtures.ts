import request from 'supertest';
import { connectUsers, signUp, type SignedUpUser, type TestApi } from '@test/support';

/** JSON bodies and socket payloads as the tests read them: loosely typed on purpose. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export const auth = (user: { accessToken: string }): { Authorization: string } => ({ Authorization: `Bearer ${user.accessToken}` });

let counter = 0;
export const cmid = (tag = 'r'): string => `${tag}-${process.pid}-${Date.now()}-${++counter}`;

/** An author connected (real QR flow) to `count` fresh users, plus one stranger connected to no one. */
export async function circle(
  api: TestApi,
  count: number,
): Promise<{ author: SignedUpUser; friends: SignedUpUser[]; stranger: SignedUpUser }> {
  const [author, stranger, ...friends] = await Promise.all(Array.from({ length: count + 2 }, () => signUp(api)));
  for (const friend of friends) await connectUsers(api, author, friend);
  return { author, friends, stranger };
}

/** Posts a text status (fails the test on anything but 201) and returns it as the author sees it. */
export async function postText(api: TestApi, author: SignedUpUser, extra: Record<string, unknown> = {}): Promise<Json> {
  const res = await request(api.url)
    .post('/statuses')
    .set(auth(author))
    .send({ kind: 'text', text: `status ${++counter}`, background: '#25D366', font: 'serif', ...extra });
  if (res.status !== 201) throw new Error(`POST /statuses answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function setPrivacy(api: TestApi, user: SignedUpUser, body: Record<string, unknown>): Promise<void> {
  const res = await request(api.url).patch('/statuses/privacy').set(auth(user)).send(body);
  if (res.status !== 200) throw new Error(`PATCH /statuses/privacy answered ${res.status}: ${JSON.stringify(res.body)}`);
}

/** The ids of the statuses `viewer`'s feed shows from `authorId`. */
export async function feedIdsFrom(url: string, viewer: SignedUpUser, authorId: string): Promise<string[]> {
  const res = await request(url).get('/statuses').set(auth(viewer));
  if (res.status !== 200) throw new Error(`GET /statuses answered ${res.status}`);
  const group = (res.body.authors as Json[]).find((a) => a.authorId === authorId);
  return group ? (group.statuses as Json[]).map((s) => s.id as string) : [];
}
