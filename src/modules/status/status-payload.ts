import type { StatusMediaPayload, StatusPayload } from '@app/realtime';
import type { StatusRecord } from './schemas/status.schema.js';

/** A status as its audience (and its author) sees it. */
export function toStatusPayload(s: StatusRecord, media: StatusMediaPayload | null, viewed: boolean): StatusPayload {
  return {
    id: s._id.toHexString(),
    authorId: s.authorId,
    kind: s.kind,
    text: s.text,
    background: s.background,
    font: s.font,
    caption: s.caption,
    media,
    createdAt: s.createdAt.toISOString(),
    expiresAt: s.expiresAt.toISOString(),
    viewed,
  };
}
