import { describe, expect, it } from 'vitest';
import { demuxerOf, mediaKindFor, sanitizeFileName } from './media-types.js';

describe('mediaKindFor', () => {
  it('decides the kind from the detected type, voice only when asked and audio-capable', () => {
    expect(mediaKindFor('image/jpeg', undefined)).toBe('image');
    expect(mediaKindFor('video/mp4', undefined)).toBe('video');
    expect(mediaKindFor('audio/ogg; codecs=opus', 'voice')).toBe('voice');
    expect(mediaKindFor('video/webm', 'voice')).toBe('voice'); // browsers record Opus in WebM
    expect(mediaKindFor('image/png', 'voice')).toBe('image');
    expect(mediaKindFor('application/pdf', undefined)).toBe('document');
  });

  it('has no kind for anything off the allow-list', () => {
    for (const mime of ['application/x-elf', 'application/x-msdownload', 'application/x-sh', 'text/html', 'image/svg+xml']) {
      expect(mediaKindFor(mime, undefined)).toBeNull();
    }
  });

  it('forces a demuxer for every audio and video type', () => {
    expect(demuxerOf('video/mp4')).toBe('mov');
    expect(demuxerOf('video/webm')).toBe('matroska');
    expect(demuxerOf('audio/mpeg')).toBe('mp3');
    expect(demuxerOf('image/jpeg')).toBeNull();
  });
});

describe('sanitizeFileName', () => {
  it('keeps the last segment, without controls, bidi overrides, reserved characters or leading dots', () => {
    expect(sanitizeFileName('../../etc/passwd')).toBe('passwd');
    expect(sanitizeFileName('C:\\Users\\me\\cv.pdf')).toBe('cv.pdf');
    expect(sanitizeFileName('invoice\u202Efdp.exe')).toBe('invoicefdp.exe');
    expect(sanitizeFileName('a\u0000b\nc.pdf')).toBe('abc.pdf');
    expect(sanitizeFileName('.hidden')).toBe('hidden');
    expect(sanitizeFileName('what?<x>.pdf')).toBe('what__x_.pdf');
    expect(sanitizeFileName('x'.repeat(300))).toHaveLength(200);
  });

  it('gives null for nothing usable', () => {
    expect(sanitizeFileName(undefined)).toBeNull();
    expect(sanitizeFileName('')).toBeNull();
    expect(sanitizeFileName('../')).toBeNull();
    expect(sanitizeFileName('\u202E')).toBeNull();
  });
});
