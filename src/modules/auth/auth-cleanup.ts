import { InjectQueue, WorkerHost } from '@nestjs/bullmq';
import { Injectable, Module, type OnApplicationBootstrap } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import type { Queue } from 'bullmq';
import { QueueProcessor, type JobOf, registerQueue, unknownJob } from '../../core/queue/index.js';
import { AuthJob, type AuthJobPayloads, AuthQueue } from './auth.jobs.js';
import { RefreshToken, RefreshTokenSchema } from './schemas/refresh-token.schema.js';
import { Session, SessionSchema } from './schemas/session.schema.js';
import { SessionsRepository } from './sessions/sessions.repository.js';
import { SchedulerKeeper } from '../../core/scheduling/scheduler-keeper.js';

export const AUTH_CLEANUP_EVERY_MS = 3_600_000;

/** The auth queue, registered by the api (AuthModule) and the worker (AuthWorkerModule). */
export const authQueue = registerQueue(AuthQueue.Auth);

/** Scheduled (worker): deletes sessions and refresh tokens past expiresAt. Queries already ignore them. */
@Injectable()
export class AuthCleanup {
  constructor(
    @InjectQueue(AuthQueue.Auth) private readonly queue: Queue,
    private readonly schedulers: SchedulerKeeper,
    private readonly sessions: SessionsRepository,
  ) {}

  /** Upserting the scheduler from every worker keeps exactly one schedule. */
  async schedule(): Promise<void> {
    await this.schedulers.keep(
      this.queue,
      'auth-cleanup',
      { every: AUTH_CLEANUP_EVERY_MS },
      { name: AuthJob.Cleanup, data: { requestedBy: 'scheduler' } satisfies AuthJobPayloads[AuthJob.Cleanup] },
    );
  }

  run(): Promise<{ sessions: number; tokens: number }> {
    return this.sessions.deleteExpired(new Date());
  }
}

/** Thin: job name -> service method; schedules the cleanup when the worker starts. */
@QueueProcessor(AuthQueue.Auth)
export class AuthJobsProcessor extends WorkerHost implements OnApplicationBootstrap {
  constructor(private readonly cleanup: AuthCleanup) {
    super();
  }

  onApplicationBootstrap(): Promise<void> {
    return this.cleanup.schedule();
  }

  async process(job: JobOf<AuthJobPayloads>): Promise<unknown> {
    switch (job.name) {
      case AuthJob.Cleanup:
        return this.cleanup.run();
      default:
        throw unknownJob(job, job.name);
    }
  }
}

/** The cleanup without the api-only parts (guard, controllers): what the worker and tests need of auth. */
@Module({
  imports: [
    authQueue,
    MongooseModule.forFeature([
      { name: Session.name, schema: SessionSchema },
      { name: RefreshToken.name, schema: RefreshTokenSchema },
    ]),
  ],
  providers: [SessionsRepository, AuthCleanup],
  exports: [AuthCleanup],
})
export class AuthCleanupModule {}

/** The worker's part of auth: the cleanup job's processor and schedule. */
@Module({ imports: [AuthCleanupModule], providers: [AuthJobsProcessor] })
export class AuthWorkerModule {}
