import { createHash } from 'node:crypto';
import { Types } from 'mongoose';
import { StorageDriver } from '@app/storage';
import type { TestApi } from '@test/support';
import { png } from '../profile/images.js';

/**
 * A photo as the media module leaves it after an upload: its `media` document and its bytes in storage.
 * Written directly because the upload route is not on main yet; once it is, tests upload instead.
 * `processing` has no rendition yet (no URL can be signed), `ready` has a main rendition and a thumbnail.
 */
export async function storedPhoto(api: TestApi, ownerId: string, status: 'processing' | 'ready'): Promise<{ id: string; keys: string[] }> {
  const id = new Types.ObjectId().toHexString();
  const bytes = await png(64, 48);
  const sha256 = createHash('sha256').update(bytes).update(id).digest('hex');
  const keys = {
    original: `media/${ownerId}/${id}-original.png`,
    ...(status === 'ready' ? { main: `media/${ownerId}/${id}-main.png`, thumbnail: `media/${ownerId}/${id}-thumbnail.png` } : {}),
  };
  const storage = api.app.get(StorageDriver, { strict: false });
  for (const key of Object.values(keys)) await storage.put(key, bytes, { contentType: 'image/png', size: bytes.length });
  const now = new Date();
  await api.connection.collection('media').insertOne({
    _id: new Types.ObjectId(id),
    ownerId,
    kind: 'image',
    status,
    failureReason: null,
    sha256,
    dedupeKey: `${ownerId}:image:${sha256}`,
    originalMimeType: 'image/png',
    originalSizeBytes: bytes.length,
    mimeType: 'image/png',
    sizeBytes: bytes.length,
    name: null,
    width: 64,
    height: 48,
    durationMs: null,
    waveform: null,
    pageCount: null,
    placeholder: null,
    keys,
    refs: {},
    refsVersion: 0,
    createdAt: now,
    updatedAt: now,
  });
  return { id, keys: Object.values(keys) };
}
