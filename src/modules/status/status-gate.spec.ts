import { Types } from 'mongoose';
import { describe, expect, it } from 'vitest';
import type { ContactDirectory } from '@app/common';
import { StatusGate } from './status-gate.js';
import type { StatusRepository } from './status.repository.js';
import type { StatusRecord, StatusState } from './schemas/status.schema.js';

const AUTHOR = 'a'.repeat(24);
const VIEWER = 'b'.repeat(24);

function gate(opts: { state?: StatusState; expired?: boolean; member?: boolean; connected?: boolean; missing?: boolean }) {
  const now = new Date();
  const status: StatusRecord = {
    _id: new Types.ObjectId(),
    authorId: AUTHOR,
    kind: 'text',
    state: opts.state ?? 'active',
    text: 'hi',
    background: null,
    font: null,
    mediaId: null,
    caption: null,
    audienceMode: 'contacts',
    audienceSize: 1,
    createdAt: now,
    expiresAt: new Date(now.getTime() + (opts.expired ? -1 : 60_000)),
  };
  // The repository answers as the real one does: expired statuses are not "live".
  const repo = {
    findLive: (_id: string, at: Date) => Promise.resolve(opts.missing || status.expiresAt <= at ? null : status),
    inAudience: () => Promise.resolve(opts.member ?? true),
  } as unknown as StatusRepository;
  const contacts = { canInteract: () => Promise.resolve(opts.connected ?? true) } as unknown as ContactDirectory;
  return { gate: new StatusGate(repo, contacts), id: status._id.toHexString() };
}

const outcome = (p: Promise<unknown>): Promise<string> =>
  p.then(
    () => 'ok',
    (err: { response?: { code?: string } }) => err.response?.code ?? 'error',
  );

describe('StatusGate', () => {
  it('lets an audience member who is still connected see an active, live status', async () => {
    const { gate: g, id } = gate({});
    expect(await outcome(g.forViewer(VIEWER, id))).toBe('ok');
  });

  it('answers the same 404 for every reason a viewer may not see it', async () => {
    for (const opts of [{ missing: true }, { expired: true }, { member: false }, { connected: false }, { state: 'pending' as const }]) {
      const { gate: g, id } = gate(opts);
      expect(await outcome(g.forViewer(VIEWER, id)), JSON.stringify(opts)).toBe('status_not_found');
    }
  });

  it('the author sees their own pending status, but not as a viewer, and no one else passes forAuthor', async () => {
    const { gate: g, id } = gate({ state: 'pending' });
    expect(await outcome(g.forAnyone(AUTHOR, id))).toBe('ok');
    expect(await outcome(g.forAuthor(AUTHOR, id))).toBe('ok');
    expect(await outcome(g.forViewer(AUTHOR, id))).toBe('status_not_found');
    expect(await outcome(g.forAuthor(VIEWER, id))).toBe('status_not_found');
  });
});
