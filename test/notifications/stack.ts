import { getQueueToken } from '@nestjs/bullmq';
import { type Job, type Queue, QueueEvents } from 'bullmq';
import request from 'supertest';
import { runProcess, type RunningProcess, startTestApi, type TestApi } from '@test/support';
import { jobId, NotificationsQueue } from '../../src/modules/notifications/notifications.jobs.js';
import { PushReceiver } from './push-receiver.js';

export interface NotificationsStack {
  api: TestApi;
  worker: RunningProcess;
  receiver: PushReceiver;
  queue: Queue;
  /** The result the worker returned for a job, once it finished (fails the test if it failed). */
  result<T = Record<string, unknown>>(id: string, timeoutMs?: number): Promise<T>;
  close(): Promise<void>;
}

/**
 * The in-process api, the real worker process (started with NODE_EXTRA_CA_CERTS = the receiver's
 * throwaway CA, so TLS is verified, never turned off) and the local push receiver, on one suite database.
 */
export async function startStack(env: Record<string, string> = {}): Promise<NotificationsStack> {
  const receiver = new PushReceiver();
  await receiver.start();
  const api = await startTestApi({ ...receiver.env(), NOTIFICATIONS_CHAT_DIGEST_MS: '400', ...env });
  const worker = runProcess('worker', { ...api.env, LOG_LEVEL: 'info', NODE_EXTRA_CA_CERTS: receiver.caPath });
  await worker.waitFor(/worker ready/, 30_000);
  const queue = api.app.get<Queue>(getQueueToken(NotificationsQueue.Notifications));
  const events = new QueueEvents(NotificationsQueue.Notifications, {
    connection: { url: api.env.REDIS_URL },
    prefix: `${api.env.REDIS_PREFIX}:bull`,
  });
  await events.waitUntilReady();
  return {
    api,
    worker,
    receiver,
    queue,
    async result<T>(id: string, timeoutMs = 20_000): Promise<T> {
      const deadline = Date.now() + timeoutMs;
      let job: Job | undefined;
      while (!(job = await queue.getJob(id))) {
        if (Date.now() > deadline) throw new Error(`job ${id} was never enqueued`);
        await new Promise((r) => setTimeout(r, 25));
      }
      return (await job.waitUntilFinished(events, Math.max(1000, deadline - Date.now()))) as T;
    },
    async close() {
      await events.close();
      await worker.stop('SIGTERM');
      await api.close();
      await receiver.stop();
    },
  };
}

/** The job id the api's listener gives the notification of an event (see notifications.jobs.ts). */
export const eventJobId = (dedupeKey: string): string => jobId('ev', dedupeKey);

export const auth = (u: { accessToken: string }): [string, string] => ['Authorization', `Bearer ${u.accessToken}`];

/** Registers a web push subscription served by the receiver for `user`; returns its ids. */
export async function registerWebDevice(
  stack: NotificationsStack,
  user: { accessToken: string },
): Promise<{ deviceId: string; subId: string }> {
  const { id, subscription } = stack.receiver.newWebSubscription();
  const res = await request(stack.api.url)
    .post('/push/devices')
    .set(...auth(user))
    .send({ platform: 'web', subscription });
  if (res.status !== 201) throw new Error(`POST /push/devices answered ${res.status} ${JSON.stringify(res.body)}`);
  return { deviceId: (res.body as { id: string }).id, subId: id };
}

/** QR shown by `owner`, scanned by `scanner`: a pending request (no accept). */
export async function scan(api: TestApi, owner: { accessToken: string }, scanner: { accessToken: string }): Promise<string> {
  const qr = await request(api.url)
    .post('/qr')
    .set(...auth(owner));
  const res = await request(api.url)
    .post('/qr/scan')
    .set(...auth(scanner))
    .send({ token: (qr.body as { token: string }).token });
  if (res.status !== 201) throw new Error(`scan answered ${res.status} ${JSON.stringify(res.body)}`);
  return (res.body as { id: string }).id;
}
