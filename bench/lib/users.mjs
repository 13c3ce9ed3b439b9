// Bench users at scale, written directly into the api's database and Redis (OTP sign-in through the
// routes costs several requests per user: minutes for 15,000 on this machine). What is written mirrors
// what sign-in, QR connect and `POST /chats` store (users, sessions + the live-session key, both
// directions of a connection, the chat with its derived id); the sockets still authenticate through the
// real handshake with real JWTs (same secret, algorithm, issuer and claims as AccessTokens.sign), and
// `verifySeed` checks one seeded pair through the real routes, so a schema change fails the bench loudly.
import { createHash } from 'node:crypto';
import { SignJWT } from 'jose';
import { ObjectId } from 'mongodb';

const hashId = (input) => createHash('sha256').update(input).digest('hex').slice(0, 24);
/** libs/common/src/ids/derived-ids.ts */
export const chatIdFor = (a, b) => hashId(`chat:${[a, b].sort().join(':')}`);
export const messageIdFor = (senderId, clientMessageId) => hashId(`msg:${senderId}:${clientMessageId}`);

async function inBatches(items, size, fn) {
  for (let i = 0; i < items.length; i += size) await fn(items.slice(i, i + size));
}

/** `n` users with one live session each and an access token valid for `ttlSeconds`. */
export async function createUsers({ db, redis, prefix, secret, issuer, ttlSeconds }, n) {
  const now = new Date();
  const key = new TextEncoder().encode(secret);
  const users = [];
  for (let i = 0; i < n; i++) users.push({ userId: new ObjectId().toHexString(), sessionId: new ObjectId().toHexString() });
  await inBatches(users, 1000, async (batch) => {
    await db.collection('users').insertMany(
      batch.map((u) => ({ _id: new ObjectId(u.userId), createdAt: now, updatedAt: now })),
      { ordered: false },
    );
    await db.collection('sessions').insertMany(
      batch.map((u) => ({
        _id: new ObjectId(u.sessionId),
        userId: u.userId,
        deviceName: 'bench',
        lastUsedAt: now,
        expiresAt: new Date(now.getTime() + 30 * 86_400_000),
        revokedAt: null,
        revokedReason: null,
        createdAt: now,
      })),
      { ordered: false },
    );
    const pipe = redis.pipeline();
    for (const u of batch) pipe.set(`${prefix}:auth:session:${u.sessionId}`, u.userId, 'EX', ttlSeconds + 60);
    await pipe.exec();
  });
  for (const u of users) {
    u.token = await new SignJWT({ sub: u.userId, sid: u.sessionId })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuedAt()
      .setIssuer(issuer)
      .setExpirationTime(`${ttlSeconds}s`)
      .sign(key);
  }
  return users;
}

/** Connects each pair (both directions) and creates its chat; returns [{ chatId, a, b }]. */
export async function createChats(db, pairs) {
  const now = new Date();
  const chats = pairs.map(([a, b]) => ({ chatId: chatIdFor(a.userId, b.userId), a, b }));
  await inBatches(chats, 1000, async (batch) => {
    await db.collection('connections').insertMany(
      batch.flatMap(({ a, b }) => [
        { _id: `${a.userId}:${b.userId}`, owner: a.userId, peer: b.userId, createdAt: now },
        { _id: `${b.userId}:${a.userId}`, owner: b.userId, peer: a.userId, createdAt: now },
      ]),
      { ordered: false },
    );
    await db.collection('chats').insertMany(
      batch.map(({ chatId, a, b }) => ({
        _id: new ObjectId(chatId),
        participants: [a.userId, b.userId].sort().map((id) => new ObjectId(id)),
        lastSeq: 0,
        lastMessageId: null,
        lastActivityAt: now,
        delivered: {},
        seen: {},
        cleared: {},
        mutedUntil: {},
        createdAt: now,
        updatedAt: now,
      })),
      { ordered: false },
    );
  });
  return chats;
}

/** The stored shape of a text message (src/modules/chat/schemas/message.schema.ts). */
export function messageDoc(chatId, senderId, seq, clientMessageId, at = new Date()) {
  return {
    _id: new ObjectId(messageIdFor(senderId, clientMessageId)),
    chatId: new ObjectId(chatId),
    seq,
    senderId: new ObjectId(senderId),
    clientMessageId,
    type: 'text',
    text: `seeded message ${seq}`,
    attachments: [],
    replyTo: null,
    call: null,
    statusRef: null,
    reactions: {},
    editedAt: null,
    deletedForEveryone: false,
    hiddenFor: {},
    createdAt: at,
    updatedAt: at,
  };
}

/**
 * Appends `count` messages to each chat (alternating senders), as the send path would store them,
 * and moves the chat's lastSeq / lastMessageId / lastActivityAt. Returns the new lastSeq per chat.
 */
export async function seedMessages(db, chats, count, { from = {}, tag = 'seed' } = {}) {
  const docs = [];
  const lastSeq = {};
  const base = Date.now() - 60_000;
  for (const c of chats) {
    const start = from[c.chatId] ?? 0;
    for (let k = 1; k <= count; k++) {
      const seq = start + k;
      const sender = seq % 2 ? c.a : c.b;
      docs.push(messageDoc(c.chatId, sender.userId, seq, `${tag}-${c.chatId}-${seq}`, new Date(base + seq)));
    }
    lastSeq[c.chatId] = start + count;
  }
  await inBatches(docs, 2000, (batch) => db.collection('messages').insertMany(batch, { ordered: false }));
  // The chat summaries move by replacing the chat documents, 1,000 per round trip (read, delete,
  // insertMany): one updateOne per chat took minutes for 2,500 chats on FerretDB (each a write-locked
  // command under load), and a bulkWrite of updates hung on pool Acquire in the per-document-lock build
  // (2026-12-01). Only for seeding, while no client of these chats is connected.
  await inBatches(chats, 1000, async (batch) => {
    const ids = batch.map((c) => new ObjectId(c.chatId));
    const current = await db
      .collection('chats')
      .find({ _id: { $in: ids } })
      .toArray();
    const byId = new Map(current.map((doc) => [doc._id.toHexString(), doc]));
    const replaced = batch.map((c) => {
      const doc = byId.get(c.chatId);
      if (!doc) throw new Error(`seedMessages: chat ${c.chatId} not found`);
      const seq = lastSeq[c.chatId];
      const sender = seq % 2 ? c.a : c.b;
      return {
        ...doc,
        lastSeq: seq,
        lastMessageId: new ObjectId(messageIdFor(sender.userId, `${tag}-${c.chatId}-${seq}`)),
        lastActivityAt: new Date(base + seq),
      };
    });
    await db.collection('chats').deleteMany({ _id: { $in: ids } });
    await db.collection('chats').insertMany(replaced, { ordered: false });
  });
  return lastSeq;
}

/** One seeded chat through the real routes: the chat list shows it and its page holds the seeded messages. */
export async function verifySeed(apiUrl, chat, expectedMessages) {
  const headers = { authorization: `Bearer ${chat.a.token}` };
  const list = await fetch(`${apiUrl}/chats?limit=50`, { headers });
  const body = await list.json();
  if (!list.ok || !body.items?.some((c) => c.id === chat.chatId)) {
    throw new Error(`seeded chat not listed by GET /chats (${list.status}): ${JSON.stringify(body).slice(0, 500)}`);
  }
  const page = await fetch(`${apiUrl}/chats/${chat.chatId}/messages?limit=50`, { headers });
  const messages = await page.json();
  const items = messages.items ?? messages;
  if (!page.ok || !Array.isArray(items) || items.length !== Math.min(50, expectedMessages)) {
    throw new Error(`seeded messages not served by GET /chats/:id/messages (${page.status}): ${JSON.stringify(messages).slice(0, 500)}`);
  }
}
