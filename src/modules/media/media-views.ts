import type { MediaSummary } from '@app/common';
import type { MediaRecord } from './media.repository.js';

export function toSummary(media: MediaRecord): MediaSummary {
  return {
    id: media.id,
    ownerId: media.ownerId,
    kind: media.kind,
    status: media.status,
    failureReason: media.failureReason,
    mimeType: media.mimeType,
    sizeBytes: media.sizeBytes,
    name: media.name,
    width: media.width,
    height: media.height,
    durationMs: media.durationMs,
    waveform: media.waveform,
    pageCount: media.pageCount,
    placeholder: media.placeholder,
  };
}
