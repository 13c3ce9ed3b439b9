import { HttpStatus, Injectable } from '@nestjs/common';
import { AppError, ContactDirectory } from '@app/common';
import { StatusRepository } from './status.repository.js';
import type { StatusRecord } from './schemas/status.schema.js';

export const statusNotFound = (): AppError => new AppError(HttpStatus.NOT_FOUND, 'status_not_found', 'Status not found');

/**
 * The one viewer-aware check every read path goes through (feed, by id, media, view, reply, reaction):
 * the status exists, has not expired, is active, the viewer was in its audience when it was posted, and
 * the two are still connected with no block either way. Anything else is the same 404, so an excluded
 * viewer cannot tell a status exists.
 */
@Injectable()
export class StatusGate {
  constructor(
    private readonly repo: StatusRepository,
    private readonly contacts: ContactDirectory,
  ) {}

  /** The status for a viewer other than its author, or 404. */
  async forViewer(viewerId: string, statusId: string, now = new Date()): Promise<StatusRecord> {
    const [status, member] = await Promise.all([this.repo.findLive(statusId, now), this.repo.inAudience(viewerId, statusId)]);
    if (!status || !member || status.state !== 'active' || status.authorId === viewerId) throw statusNotFound();
    if (!(await this.contacts.canInteract(status.authorId, viewerId))) throw statusNotFound();
    return status;
  }

  /** The author's own unexpired status (any state), or 404 for anyone else. */
  async forAuthor(authorId: string, statusId: string, now = new Date()): Promise<StatusRecord> {
    const status = await this.repo.findLive(statusId, now);
    if (!status || status.authorId !== authorId) throw statusNotFound();
    return status;
  }

  /** The author's own status, or one they may view. */
  async forAnyone(userId: string, statusId: string, now = new Date()): Promise<StatusRecord> {
    const status = await this.repo.findLive(statusId, now);
    if (status?.authorId === userId) return status;
    return this.forViewer(userId, statusId, now);
  }
}
