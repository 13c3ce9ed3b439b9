import { MongoClient } from 'mongodb';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTestData, testEnv } from '@app/testing';

// FerretDB 1.x runs findAndModify as an unisolated read-then-write; the project's patch serialises
// it. Without the patch this ends far below 500 (measured: 20), with MongoDB or the patch at 500.
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
});
