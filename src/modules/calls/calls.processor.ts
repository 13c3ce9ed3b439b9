import { WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { CallLifecycle } from './call-lifecycle.js';
import { CallsJob, type CallsJobName, type CallsJobPayloads, CallsQueue } from './calls.jobs.js';
import { QueueProcessor } from '../../core/queue/index.js';

type CallsJobOf<N extends CallsJobName> = Job<CallsJobPayloads[N], unknown, N>;
type AnyCallsJob = { [N in CallsJobName]: CallsJobOf<N> }[CallsJobName];

/** Thin: job name -> lifecycle method. Both are idempotent (conditional transitions), so a rerun is harmless. */
@QueueProcessor(CallsQueue.Calls)
export class CallsProcessor extends WorkerHost {
  constructor(private readonly lifecycle: CallLifecycle) {
    super();
  }

  async process(job: AnyCallsJob): Promise<void> {
    switch (job.name) {
      case CallsJob.RingTimeout:
        return this.lifecycle.ringTimeout(job.data.callId);
      case CallsJob.ConnectionCheck:
        return this.lifecycle.connectionCheck(job.data.callId, job.data.role, job.data.socketId);
      default: {
        const unknownJob: never = job;
        throw new Error(`No handler for calls job "${String((unknownJob as Job).name)}"`);
      }
    }
  }
}
