import { Injectable } from '@nestjs/common';
import { ContactDirectory } from '@app/common';
import { ConnectionsRepository } from './connections.repository.js';
import { ContactCache } from './contact-cache.js';
import { RequestsRepository } from './requests.repository.js';

/**
 * The checks other modules use (bound globally as ContactDirectory): chat, calls, presence, status
 * and profile privacy ask "may these two interact". Chat asks on every send, typing event and
 * receipt, so that answer comes from a per-process cache kept in step by ContactInvalidations; the
 * other checks are a few `_id` lookups and go to the database each time.
 */
@Injectable()
export class ConnectionsService extends ContactDirectory {
  constructor(
    private readonly repo: ConnectionsRepository,
    private readonly requests: RequestsRepository,
    private readonly cache: ContactCache,
  ) {
    super();
  }

  /** Connected, and neither blocks the other. A block deletes the connection too; checking both
   * closes the window of a block racing an accept. Cached per pair (see ContactCache for the bounds). */
  async canInteract(a: string, b: string): Promise<boolean> {
    if (a === b) return false;
    return this.cache.get(a, b, async () => {
      const [connected, blocked] = await Promise.all([this.repo.isConnected(a, b), this.isBlockedEitherWay(a, b)]);
      return connected && !blocked;
    });
  }

  async isConnected(a: string, b: string): Promise<boolean> {
    return a !== b && this.repo.isConnected(a, b);
  }

  contactIdsOf(userId: string): Promise<string[]> {
    return this.repo.peersOf(userId);
  }

  async isBlockedEitherWay(a: string, b: string): Promise<boolean> {
    if (a === b) return false;
    const [ab, ba] = await Promise.all([this.repo.isBlocked(a, b), this.repo.isBlocked(b, a)]);
    return ab || ba;
  }

  /** Whether `blocker` blocks `blocked` (one direction). */
  blocks(blocker: string, blocked: string): Promise<boolean> {
    return this.repo.isBlocked(blocker, blocked);
  }

  /** Cleanup job: requests past their expiry (every query already ignores them). */
  deleteExpiredRequests(now = new Date()): Promise<number> {
    return this.requests.deleteExpired(now);
  }
}
