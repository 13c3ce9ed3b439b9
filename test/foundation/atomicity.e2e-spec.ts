import { MongoClient } from 'mongodb';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTestData, testEnv } from '@test/support';

// FerretDB 1.x runs update/findAndModify as an unisolated read-then-write; the project's patch locks
// the document (writes filtered by _id) or the collection (any other filter). Without the patch the
// first test ends far below 500 (measured: 20), with MongoDB or the patch at 500.
describe('single-document atomicity on the database server', () => {
  const env = testEnv();
  const client = new MongoClient(env.MONGODB_URI, { maxPoolSize: 100 });
  afterAll(async () => {
    await client.close();
    await cleanupTestData(env);
  });

  it('500 concurrent findOneAndUpdate $inc on one document end at 500', async () => {
    const counters = client.db().collection<{ _id: string; n: number }>('counters');
    await counters.insertOne({ _id: 'c', n: 0 });
    const results = await Promise.all(
      Array.from({ length: 500 }, () => counters.findOneAndUpdate({ _id: 'c' }, { $inc: { n: 1 } }, { returnDocument: 'after' })),
    );
    expect((await counters.findOne({ _id: 'c' }))?.n).toBe(500);
    // Each caller saw its own increment: the values returned are exactly 1..500.
    const seen = results.map((doc) => doc?.n).sort((a, b) => (a ?? 0) - (b ?? 0));
    expect(seen).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));
  });

  it('writes by _id and by another field on the same document, interleaved, lose nothing', async () => {
    const counters = client.db().collection<{ _id: string; n: number; tag: string }>('mixed');
    await counters.insertOne({ _id: 'm', n: 0, tag: 't' });
    await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        i % 2 === 0 ? counters.updateOne({ tag: 't' }, { $inc: { n: 1 } }) : counters.findOneAndUpdate({ _id: 'm' }, { $inc: { n: 1 } }),
      ),
    );
    expect((await counters.findOne({ _id: 'm' }))?.n).toBe(300);
  });

  it('concurrent writes spread over many documents all land (per-document locks, no pool starvation)', async () => {
    const counters = client.db().collection<{ _id: string; n: number }>('spread');
    const ids = Array.from({ length: 100 }, (_, i) => `d${i}`);
    await counters.insertMany(ids.map((_id) => ({ _id, n: 0 })));
    await Promise.all(Array.from({ length: 1000 }, (_, i) => counters.updateOne({ _id: ids[i % ids.length] }, { $inc: { n: 1 } })));
    const docs = await counters.find({ _id: { $in: ids } }).toArray();
    expect(docs.map((d) => d.n)).toEqual(ids.map(() => 10));
  });

  it('concurrent multi-statement bulk updates all land (each statement releases its query first)', async () => {
    const counters = client.db().collection<{ _id: string; n: number }>('bulk');
    const ids = Array.from({ length: 10 }, (_, i) => `b${i}`);
    await counters.insertMany(ids.map((_id) => ({ _id, n: 0 })));
    await Promise.all(
      Array.from({ length: 20 }, () =>
        counters.bulkWrite(ids.map((_id) => ({ updateOne: { filter: { _id }, update: { $inc: { n: 1 } } } }))),
      ),
    );
    const docs = await counters.find({ _id: { $in: ids } }).toArray();
    expect(docs.map((d) => d.n)).toEqual(ids.map(() => 20));
  });
});
