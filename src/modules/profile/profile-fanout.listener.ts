import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { OnDomainEvent, type DomainEvents } from '@app/common';
import { fanoutJobId, ProfileJob, type ProfileJobPayloads, ProfileQueue } from './profile.jobs.js';
import { ProfileRepository } from './profile.repository.js';

/**
 * api side of the profile fan-out: a change becomes a job, because telling every contact costs a few
 * reads per contact and belongs in the worker. The job id is the profile's version (`updatedAt`), so
 * a burst of changes read back as one version is enqueued once; the job reads the profile when it runs.
 */
@Injectable()
export class ProfileFanoutListener {
  private readonly logger = new Logger(ProfileFanoutListener.name);

  constructor(
    @InjectQueue(ProfileQueue.Profile) private readonly queue: Queue,
    private readonly repo: ProfileRepository,
  ) {}

  @OnDomainEvent('profile.updated')
  async onProfileUpdated({ userId }: DomainEvents['profile.updated']): Promise<void> {
    try {
      const record = await this.repo.findById(userId);
      if (!record?.updatedAt) return;
      const data: ProfileJobPayloads[ProfileJob.Fanout] = { userId };
      await this.queue.add(ProfileJob.Fanout, data, { jobId: fanoutJobId(userId, record.updatedAt) });
    } catch (err) {
      // Best effort, as before: a missed update is corrected by profile:sync or the next contact list read.
      this.logger.warn({ err, userId }, 'could not enqueue the profile fan-out');
    }
  }
}
