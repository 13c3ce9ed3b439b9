// The datastore's own ceiling for the send path's write: the same message documents the api stores,
// inserted with the native driver in unordered batches into a collection with the same unique indexes,
// `concurrency` batches in flight. Input: JSON job { mongoUri, documents, batch, concurrency } on
// stdin; output: one JSON line { documents, seconds, insertsPerSec }.
import { performance } from 'node:perf_hooks';
import { MongoClient, ObjectId } from 'mongodb';
import { messageDoc } from './lib/users.mjs';

const job = JSON.parse(
  await new Promise((resolve) => {
    let s = '';
    process.stdin.on('data', (d) => (s += d)).on('end', () => resolve(s));
  }),
);
const client = new MongoClient(job.mongoUri);
const collection = client.db().collection(`ceiling_messages_${process.pid}`);
await collection.createIndex({ chatId: 1, seq: 1 }, { unique: true });
await collection.createIndex({ senderId: 1, clientMessageId: 1 }, { unique: true });
const chats = Array.from({ length: 100 }, () => ({
  chatId: new ObjectId().toHexString(),
  a: new ObjectId().toHexString(),
  b: new ObjectId().toHexString(),
}));
const docs = Array.from({ length: job.documents }, (_, i) => {
  const c = chats[i % chats.length];
  const seq = Math.floor(i / chats.length) + 1;
  return messageDoc(c.chatId, seq % 2 ? c.a : c.b, seq, `ceiling-${i}`);
});
const batches = [];
for (let i = 0; i < docs.length; i += job.batch) batches.push(docs.slice(i, i + job.batch));
const t0 = performance.now();
let next = 0;
await Promise.all(
  Array.from({ length: job.concurrency }, async () => {
    while (next < batches.length) await collection.insertMany(batches[next++], { ordered: false });
  }),
);
const seconds = (performance.now() - t0) / 1000;
const stored = await collection.countDocuments();
await collection.drop();
await client.close();
process.stdout.write(
  `${JSON.stringify({ documents: job.documents, stored, seconds: Math.round(seconds * 100) / 100, insertsPerSec: Math.round(stored / seconds) })}\n`,
);
