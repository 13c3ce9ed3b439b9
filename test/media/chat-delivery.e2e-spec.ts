import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ApiProcess,
  connectUsers,
  emitWithAck,
  nextEvent,
  type RunningProcess,
  signUp,
  type SignedUpUser,
  socketPool,
  startApiProcess,
  startTestApi,
  type TestApi,
} from '@test/support';
import { jpegWithGps } from '../profile/images.js';
import { handwrittenPdf, mp3Tone, silenceThenTone, testVideo } from './fixtures.js';
import { download, startWorker, upload } from './helpers.js';

interface Attachment {
  mediaId: string | null;
  url: string | null;
  [field: string]: unknown;
}
interface Message {
  id: string;
  chatId: string;
  attachments: Attachment[];
}

/**
 * Needs the chat side of issue 14 (chat:send with `attachments: [mediaId]`, attachments rendered from
 * MediaDirectory, message:updated on media.processed, heard in the worker): written against that
 * contract, skipped until it is merged (the lead enables it at merge; see the media report).
 */
describe('media in messages, across processes', () => {
  let api: TestApi;
  let other: ApiProcess;
  let worker: RunningProcess;
  let dir: string;
  let sender: SignedUpUser;
  let peer: SignedUpUser;
  const sockets = socketPool();
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'media-chat-'));
    api = await startTestApi({ STORAGE_LOCAL_DIR: dir });
    other = await startApiProcess(api.env);
    worker = await startWorker(api.env);
    [sender, peer] = await Promise.all([signUp(api), signUp(api)]);
    await connectUsers(api, sender, peer);
  });
  afterAll(async () => {
    sockets.closeAll();
    await worker?.stop();
    await other?.stop();
    await api.close();
    await rm(dir, { recursive: true, force: true });
  });

  const kinds: [string, () => Promise<Buffer>, string, Record<string, string>][] = [
    ['image', jpegWithGps, 'photo.jpg', {}],
    ['video', () => testVideo(1, 160, 120), 'clip.mp4', {}],
    ['voice', () => silenceThenTone(0.5, 0.5), 'note.wav', { kind: 'voice' }],
    ['audio', () => mp3Tone(1), 'song.mp3', {}],
    ['document', () => Promise.resolve(handwrittenPdf(2)), 'doc.pdf', {}],
  ];

  it.each(kinds)(
    'a %s is processed by the worker and reaches the peer on the other api process with message:updated',
    async (_kind, make, name, fields) => {
      const senderSocket = await sockets.connect(api.url, sender.accessToken);
      const peerSocket = await sockets.connect(other.url, peer.accessToken);
      const uploaded = await upload(api.url, sender, await make(), name, fields);
      expect(uploaded.status).toBe(202);
      const mediaId = uploaded.body.id as string;

      const received = nextEvent<Message>(peerSocket, 'chat:receive', 30_000, (m) => m.attachments.some((a) => a.mediaId === mediaId));
      const updated = nextEvent<{ message: Message }>(peerSocket, 'message:updated', 60_000, (u) =>
        u.message.attachments.some((a) => a.mediaId === mediaId && a.url !== null),
      );
      const ack = await emitWithAck<Message>(senderSocket, 'chat:send', {
        peerId: peer.userId,
        clientMessageId: randomUUID(),
        text: 'look',
        attachments: [mediaId],
      });
      expect(ack.ok, JSON.stringify(ack)).toBe(true);
      expect((await received).attachments[0].mediaId).toBe(mediaId);

      const { message } = await updated;
      const attachment = message.attachments.find((a) => a.mediaId === mediaId)!;
      const bytes = await download(other.url, attachment.url!);
      expect(bytes.status).toBe(200);
      expect(bytes.headers['cache-control']).toMatch(/^private/);
    },
  );
});
