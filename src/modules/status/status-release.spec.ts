import { Types } from 'mongoose';
import { describe, expect, it } from 'vitest';
import type { StatusRecord } from './schemas/status.schema.js';
import { StatusService } from './status.service.js';

const pending = (): StatusRecord => ({
  _id: new Types.ObjectId(),
  authorId: 'a'.repeat(24),
  kind: 'image',
  state: 'pending',
  text: null,
  background: null,
  font: null,
  mediaId: 'm'.repeat(24),
  caption: null,
  audienceMode: 'contacts',
  audienceSize: 2,
  createdAt: new Date(),
  expiresAt: new Date(Date.now() + 60_000),
});

/** StatusService.mediaProcessed with the repository and the fan-out replaced: the release rules only. */
function service(opts: { won: boolean }) {
  const status = pending();
  const calls = { announced: [] as string[][], failed: [] as string[] };
  const repo = {
    pendingWithMedia: () => Promise.resolve([status]),
    // Another process may have won the pending -> active transition: then it returns null.
    activate: () => Promise.resolve(opts.won ? { ...status, state: 'active' } : null),
    fail: (id: string) => {
      calls.failed.push(id);
      return Promise.resolve(null);
    },
    audienceOf: () => Promise.resolve(['v1', 'v2']),
  };
  const fanout = {
    announce: (_s: StatusRecord, audience: string[]) => {
      calls.announced.push(audience);
      return Promise.resolve();
    },
  };
  const none = {} as never;
  const svc = new StatusService(repo as never, none, none, none, none, none, fanout as never, none);
  return { svc, calls, id: status._id.toHexString() };
}

describe('StatusService.mediaProcessed', () => {
  it('announces a pending status to its audience once its media is ready', async () => {
    const { svc, calls } = service({ won: true });
    await svc.mediaProcessed('m'.repeat(24), 'ready');
    expect(calls.announced).toEqual([['v1', 'v2']]);
  });

  it('announces nothing when another process released it first', async () => {
    const { svc, calls } = service({ won: false });
    await svc.mediaProcessed('m'.repeat(24), 'ready');
    expect(calls.announced).toEqual([]);
  });

  it('marks it failed, silently, when its media failed', async () => {
    const { svc, calls, id } = service({ won: true });
    await svc.mediaProcessed('m'.repeat(24), 'failed');
    expect(calls).toEqual({ announced: [], failed: [id] });
  });
});
