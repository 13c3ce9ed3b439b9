import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContactDirectory } from '@app/common';
import { startTestApi, type TestApi } from '@test/support';
import { ConnectionsRepository } from '../../src/modules/connections/connections.repository.js';
import { ContactInvalidations } from '../../src/modules/connections/contact-invalidations.js';

// The ContactDirectory binding other modules inject: answers from real documents in FerretDB. canInteract
// is cached per pair, so each write here is followed by the invalidation the services send after theirs.
describe('ContactDirectory (bound by the connections module)', () => {
  let api: TestApi;
  let directory: ContactDirectory;
  let repo: ConnectionsRepository;
  let changes: ContactInvalidations;
  const [a, b, c] = Array.from({ length: 3 }, () => new Types.ObjectId().toHexString());

  beforeAll(async () => {
    api = await startTestApi();
    directory = api.app.get(ContactDirectory);
    repo = api.app.get(ConnectionsRepository);
    changes = api.app.get(ContactInvalidations);
  });
  afterAll(() => api.close());

  it('answers from connections and blocks, both ways', async () => {
    expect(await directory.canInteract(a, b)).toBe(false);
    await repo.connect(a, b, new Date());
    await repo.connect(a, b, new Date()); // idempotent
    await changes.pairChanged(a, b);
    expect(await directory.canInteract(a, b)).toBe(true);
    expect(await directory.canInteract(b, a)).toBe(true);
    expect(await directory.canInteract(a, c)).toBe(false);
    expect(await directory.contactIdsOf(a)).toEqual([b]);
    expect(await directory.contactIdsOf(b)).toEqual([a]);

    await repo.block(b, a, new Date());
    await changes.pairChanged(b, a);
    expect(await directory.isBlockedEitherWay(a, b)).toBe(true);
    expect(await directory.isBlockedEitherWay(b, a)).toBe(true);
    expect(await directory.canInteract(a, b)).toBe(false);
    await repo.unblock(b, a);
    expect(await directory.isBlockedEitherWay(a, b)).toBe(false);

    expect(await repo.disconnect(b, a)).toBe(true);
    await changes.pairChanged(b, a);
    expect(await directory.canInteract(a, b)).toBe(false);
    expect(await directory.contactIdsOf(a)).toEqual([]);
  });
});
