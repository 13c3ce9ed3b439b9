import { HttpStatus } from '@nestjs/common';
import busboy from 'busboy';
import { fileTypeFromBuffer } from 'file-type';
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError } from '@app/common';
import { takeAwaitingContinue } from './expect-continue.js';

export interface ReceiveFileOptions {
  /** Multipart field holding the file; other fields and files are ignored. */
  field: string;
  /** Cut-off while streaming: one byte more and the upload is refused with 413. */
  maxBytes: number;
  /** Accepted types by MIME type, as detected from the bytes (file-type); anything else is 415. */
  accept: ReadonlySet<string>;
  /** Named in the 415 message, e.g. "a JPEG, PNG or WebP image". */
  acceptDescription: string;
  /**
   * A tighter cap by detected type (e.g. images smaller than videos), enforced while streaming once
   * the type is known; `maxBytes` stays the overall cap.
   */
  maxBytesFor?: (mime: string) => number;
}

export interface ReceivedFile {
  /** Temporary file holding the upload; call dispose() when done with it. */
  path: string;
  size: number;
  mime: string;
  ext: string;
  /** Hex SHA-256 of the bytes, computed while streaming. */
  sha256: string;
  /** The other (text) fields of the form, by name; the first value of each wins. */
  fields: Record<string, string>;
  dispose(): Promise<void>;
}

// file-type needs at most this many leading bytes to decide.
const SNIFF_BYTES = 4100;
// Multipart framing around the file (boundaries, part headers, the few small fields busboy allows): a
// declared Content-Length above maxBytes plus this cannot hold an acceptable file.
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;
// After a refusal the rest of the body is read and dropped so the client can read the answer (closing a
// socket with unread data resets it, and the client then reports a network error, not the 413). Bounded
// so nobody makes us read forever: beyond either bound the connection is closed gracefully.
const DRAIN_MAX_BYTES = 64 * 1024 * 1024;
const DRAIN_MAX_MS = 30_000;
// After the FIN, how long the client gets to read the answer before the socket is destroyed.
const LINGER_MS = 2_000;

/**
 * Streams one multipart file to a temporary file with bounded memory: the size cap and the type
 * check (from the bytes, never the name or the declared Content-Type) both apply while the bytes
 * arrive, so an oversized or wrong upload is answered as soon as it is known, not after it is read.
 */
export async function receiveFile(req: IncomingMessage, options: ReceiveFileOptions): Promise<ReceivedFile> {
  const waiting = takeAwaitingContinue(req);
  const declared = Number(req.headers['content-length']);
  if (declared > options.maxBytes + MULTIPART_OVERHEAD_BYTES) {
    // Known from the headers alone: refuse before reading (or, with Expect, before the body is even sent).
    if (waiting) waiting.setHeader('Connection', 'close');
    else discardRest(req);
    throw tooLarge(options.maxBytes);
  }
  waiting?.writeContinue();
  let parser: busboy.Busboy;
  try {
    parser = busboy({ headers: req.headers, limits: { files: 1, fileSize: options.maxBytes, fields: 10, fieldSize: 1024, parts: 20 } });
  } catch {
    throw new AppError(
      HttpStatus.BAD_REQUEST,
      'multipart_required',
      `Send the file as multipart/form-data in the field "${options.field}"`,
    );
  }
  const dir = await mkdtemp(join(tmpdir(), 'upload-'));
  const path = join(dir, 'file');
  const dispose = (): Promise<void> => rm(dir, { recursive: true, force: true });
  try {
    const fields: Record<string, string> = {};
    parser.on('field', (name: string, value: string) => {
      if (!(name in fields)) fields[name] = value;
    });
    type Received = { size: number; mime: string; ext: string; sha256: string };
    const file = await new Promise<Received>((resolve, reject) => {
      let received: Promise<Received> | null = null;
      parser.on('file', (name: string, stream: Readable & { truncated?: boolean }) => {
        if (name !== options.field || received) {
          stream.resume();
          return;
        }
        const sniffer = new Sniffer(options);
        stream.once('limit', () => sniffer.destroy(tooLarge(options.maxBytes)));
        received = pipeline(stream, sniffer, createWriteStream(path)).then(() => {
          if (stream.truncated) throw tooLarge(options.maxBytes);
          return { size: sniffer.bytes, mime: sniffer.type!.mime, ext: sniffer.type!.ext, sha256: sniffer.hash.digest('hex') };
        });
        received.catch(reject); // answers a 413/415 at once, without waiting for the rest of the body
      });
      parser.once('close', () => {
        if (received) received.then(resolve, reject);
        else reject(missing(options.field));
      });
      // `on`, not `once`: destroying the parser after an abort may emit a second error.
      parser.on('error', () => reject(new AppError(HttpStatus.BAD_REQUEST, 'multipart_malformed', 'Malformed multipart body')));
      // pipe() does not pass on an aborted request: without this the parser never closes, and the
      // temporary file, its descriptor and this promise would be kept for as long as the process runs.
      req.once('close', () => {
        if (req.complete) return;
        const aborted = new AppError(HttpStatus.BAD_REQUEST, 'upload_aborted', 'The upload was interrupted');
        reject(aborted);
        parser.destroy(aborted); // also destroys the file stream, which ends the pipeline to the temporary file
      });
      req.pipe(parser);
    });
    return { path, ...file, fields, dispose };
  } catch (err) {
    req.unpipe(parser);
    discardRest(req);
    await dispose();
    throw err;
  }
}

/**
 * Reads and throws away what the client is still sending, so it gets to read our error response. The
 * connection stays open (keep-alive) while draining: asking Node to close it would destroy the socket as
 * soon as the answer is written, with the body still arriving, which is the reset this avoids. Beyond
 * DRAIN_MAX_BYTES or DRAIN_MAX_MS the connection is half-closed once the answer is out (FIN after it) and
 * destroyed LINGER_MS later.
 */
function discardRest(req: IncomingMessage): void {
  if (req.readableEnded || req.destroyed) return;
  const socket = req.socket;
  let seen = 0;
  let closing = false;
  const close = (): void => {
    if (closing) return;
    closing = true;
    clearTimeout(deadline);
    const res = (req as IncomingMessage & { res?: ServerResponse }).res;
    const shut = (): void => {
      socket.end();
      setTimeout(() => socket.destroy(), LINGER_MS).unref();
    };
    if (!res || res.writableFinished) shut();
    else res.once('finish', shut).once('close', shut);
  };
  const deadline = setTimeout(close, DRAIN_MAX_MS);
  deadline.unref();
  req.on('data', (chunk: Buffer) => {
    seen += chunk.length;
    if (seen > DRAIN_MAX_BYTES) close();
  });
  req.once('end', () => clearTimeout(deadline));
  req.resume();
}

/** Holds back the first bytes until file-type has seen enough of them, then passes everything through. */
class Sniffer extends Transform {
  bytes = 0;
  type: { mime: string; ext: string } | undefined;
  readonly hash = createHash('sha256');
  private limit = Infinity;
  private head: Buffer[] = [];
  private headLength = 0;

  constructor(private readonly options: ReceiveFileOptions) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    this.hash.update(chunk);
    if (this.bytes > this.limit) return callback(tooLarge(this.limit));
    if (this.type) return callback(null, chunk);
    this.head.push(chunk);
    this.headLength += chunk.length;
    if (this.headLength < SNIFF_BYTES) return callback();
    this.detect().then(() => callback(null, Buffer.concat(this.head)), callback);
  }

  override _flush(callback: TransformCallback): void {
    if (this.type) return callback();
    this.detect().then(() => callback(null, Buffer.concat(this.head)), callback);
  }

  private async detect(): Promise<void> {
    const found = await fileTypeFromBuffer(Buffer.concat(this.head));
    if (!found || !this.options.accept.has(found.mime)) {
      throw new AppError(HttpStatus.UNSUPPORTED_MEDIA_TYPE, 'unsupported_media_type', `The file must be ${this.options.acceptDescription}`);
    }
    this.type = { mime: found.mime, ext: found.ext };
    this.limit = this.options.maxBytesFor?.(found.mime) ?? Infinity;
    if (this.bytes > this.limit) throw tooLarge(this.limit);
  }
}

function tooLarge(maxBytes: number): AppError {
  return new AppError(HttpStatus.PAYLOAD_TOO_LARGE, 'file_too_large', `The file is larger than ${maxBytes} bytes`, {
    details: { maxBytes },
  });
}

function missing(field: string): AppError {
  return new AppError(HttpStatus.BAD_REQUEST, 'file_missing', `No file in the multipart field "${field}"`);
}
