import { WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { ProfileFanout } from './profile-fanout.service.js';
import { ProfileJob, type ProfileJobName, type ProfileJobPayloads, ProfileQueue } from './profile.jobs.js';
import { QueueProcessor } from '../../core/queue/index.js';

/** Thin: job name -> service method (worker process only). */
@QueueProcessor(ProfileQueue.Profile)
export class ProfileProcessor extends WorkerHost {
  constructor(private readonly fanout: ProfileFanout) {
    super();
  }

  async process(job: Job<ProfileJobPayloads[ProfileJobName], unknown, ProfileJobName>): Promise<unknown> {
    const name: ProfileJobName = job.name;
    switch (name) {
      case ProfileJob.Fanout:
        return this.fanout.run(job.data.userId);
      default: {
        const unhandled: never = name;
        throw new Error(`No handler for profile job "${String(unhandled)}"`);
      }
    }
  }
}
