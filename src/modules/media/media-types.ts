import type { MediaKind } from '@app/common';

type UploadKind = Exclude<MediaKind, 'voice'>;

interface AcceptedType {
  kind: UploadKind;
  /** ffmpeg demuxer forced on the input (`-f`): never let ffmpeg guess from content or name. */
  demuxer?: string;
}

/**
 * Every type an upload may have, as file-type detects it from the bytes. Anything else (executables,
 * scripts, playlists, text) is refused with 415 before it is stored.
 */
export const ACCEPTED_TYPES: Readonly<Record<string, AcceptedType>> = {
  'image/jpeg': { kind: 'image' },
  'image/png': { kind: 'image' },
  'image/webp': { kind: 'image' },
  'image/gif': { kind: 'image' },
  'video/mp4': { kind: 'video', demuxer: 'mov' },
  'video/quicktime': { kind: 'video', demuxer: 'mov' },
  'video/webm': { kind: 'video', demuxer: 'matroska' },
  'video/matroska': { kind: 'video', demuxer: 'matroska' },
  'audio/ogg': { kind: 'audio', demuxer: 'ogg' },
  'audio/ogg; codecs=opus': { kind: 'audio', demuxer: 'ogg' },
  'audio/mpeg': { kind: 'audio', demuxer: 'mp3' },
  'audio/wav': { kind: 'audio', demuxer: 'wav' },
  'audio/flac': { kind: 'audio', demuxer: 'flac' },
  'audio/x-m4a': { kind: 'audio', demuxer: 'mov' },
  'audio/aac': { kind: 'audio', demuxer: 'aac' },
  'application/pdf': { kind: 'document' },
  'application/zip': { kind: 'document' },
  'application/epub+zip': { kind: 'document' },
  'application/rtf': { kind: 'document' },
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': { kind: 'document' },
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { kind: 'document' },
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': { kind: 'document' },
  'application/vnd.oasis.opendocument.text': { kind: 'document' },
  'application/vnd.oasis.opendocument.spreadsheet': { kind: 'document' },
};

export const ACCEPTED_MIME_TYPES: ReadonlySet<string> = new Set(Object.keys(ACCEPTED_TYPES));
export const ACCEPTED_DESCRIPTION =
  'an image (JPEG, PNG, WebP, GIF), a video (MP4, MOV, WebM, MKV), audio (Ogg, MP3, WAV, FLAC, M4A, AAC) or a document (PDF, Office, OpenDocument, ZIP)';

/** Containers a voice note may come in (browsers record Opus in WebM). */
const VOICE_CONTAINERS = new Set(['video/webm', 'video/mp4']);

export function kindOfMime(mime: string): UploadKind | null {
  return ACCEPTED_TYPES[mime]?.kind ?? null;
}

/** `voice` is asked for by the client (multipart field `kind`) and only for something that can hold audio. */
export function mediaKindFor(mime: string, asked: string | undefined): MediaKind | null {
  const kind = kindOfMime(mime);
  if (!kind) return null;
  if (asked === 'voice' && (kind === 'audio' || VOICE_CONTAINERS.has(mime))) return 'voice';
  return kind;
}

export function demuxerOf(mime: string): string | null {
  return ACCEPTED_TYPES[mime]?.demuxer ?? null;
}

/**
 * A file name for display only: the last path segment, control characters, bidi overrides and
 * characters that mean something to shells or file systems replaced, length capped. Never a key.
 */
export function sanitizeFileName(raw: string | undefined): string | null {
  if (!raw) return null;
  const base = raw.split(/[\\/]/).pop() ?? '';
  const cleaned = base
    .normalize('NFC')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '')
    .replace(/[<>:"|?*]/g, '_')
    .replace(/^[.\s]+/, '')
    .trim()
    .slice(0, 200);
  return cleaned.length > 0 ? cleaned : null;
}
