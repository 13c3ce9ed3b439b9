import { type INestApplication, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { Test } from '@nestjs/testing';
import { Schema } from 'mongoose';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTestData, testEnv } from '@test/support';
import { IndexBootstrapper } from '../../src/core/database/index-bootstrapper.js';

// An index every server refuses (an unknown index type), declared the way feature schemas declare theirs.
const BrokenSchema = new Schema({ name: String });
BrokenSchema.index({ name: 'no-such-index-type' as unknown as 1 });

describe('index creation at boot', () => {
  const env = testEnv();
  let app: INestApplication | undefined;
  afterAll(async () => {
    await app?.close();
    await cleanupTestData(env);
  });

  it('fails start-up loudly, naming the collection, when an index cannot be created', async () => {
    @Module({
      imports: [
        MongooseModule.forRoot(env.MONGODB_URI, { autoIndex: false }),
        MongooseModule.forFeature([{ name: 'Broken', schema: BrokenSchema, collection: 'broken_things' }]),
      ],
      providers: [IndexBootstrapper],
    })
    class BrokenModule {}
    const moduleRef = await Test.createTestingModule({ imports: [BrokenModule] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await expect(app.init()).rejects.toThrow(/Creating the indexes of collection "broken_things" failed/);
  });
});
