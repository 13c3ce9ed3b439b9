/** A status's media as the audience receives it: signed, short-lived URLs (null until that variant exists). */
export interface StatusMediaPayload {
  id: string;
  kind: 'image' | 'video';
  mimeType: string;
  width: number | null;
  height: number | null;
  durationMs: number | null;
  /** A compact placeholder (thumbhash, base64) shown before the bytes arrive. */
  placeholder: string | null;
  url: string | null;
  thumbnailUrl: string | null;
  previewUrl: string | null;
  urlsExpireAt: string | null;
}

/** A status as its audience sees it (REST feed, by id, and `status:new`). */
export interface StatusPayload {
  id: string;
  authorId: string;
  kind: 'text' | 'image' | 'video';
  /** Text statuses: the text; null for photo and video statuses. */
  text: string | null;
  /** Text statuses: background colour `#RRGGBB`. */
  background: string | null;
  /** Text statuses: one of the fonts the apps render. */
  font: string | null;
  /** Photo and video statuses: the caption, or null. */
  caption: string | null;
  media: StatusMediaPayload | null;
  createdAt: string;
  expiresAt: string;
  /** Whether the receiving user has viewed it (always false in `status:new`). */
  viewed: boolean;
}

/** The status feature's server-to-client events (docs/asyncapi.yaml describes each). */
export interface StatusServerEvents {
  /** A status the receiver is in the audience of is visible now (text: on posting; media: once ready). */
  'status:new': { status: StatusPayload };
  /** A status ended early (deleted by its author): to its audience and the author's devices. */
  'status:deleted': { statusId: string; authorId: string };
  /** Someone viewed one of the receiver's statuses (only when both have read receipts on). */
  'status:viewed': { statusId: string; viewerId: string; viewedAt: string };
}
