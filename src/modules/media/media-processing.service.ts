import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { StorageDriver } from '@app/storage';
import { AppConfig } from '../../config/index.js';
import { MediaAnnouncer } from './media-announcer.js';
import { MediaCatalog } from './media-catalog.service.js';
import { mediaObjectKey, type MediaVariant } from './media-keys.js';
import { type MediaRecord, MediaRepository, type ProcessedFields } from './media.repository.js';
import { demuxerOf } from './media-types.js';
import { processAudio, processVideo, processVoice } from './processing/av.js';
import { processPdf } from './processing/document.js';
import { processImage } from './processing/image.js';
import { ToolFailure, type ToolOptions } from './processing/run-tool.js';

const WORK_DIR = /^media-work-(\d+)-/;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

type Output = { variant: MediaVariant; ext: string; contentType: string } & ({ path: string } | { data: Buffer });

interface Rendered {
  outputs: Output[];
  fields: Omit<ProcessedFields, 'keys'>;
}

/**
 * The worker side: turns an upload into what clients get. Idempotent: outputs go to deterministic
 * keys and the final state is set once (only from `processing`), so a job that runs twice, or
 * again after its worker was killed, leaves one result.
 */
@Injectable()
export class MediaProcessingService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MediaProcessingService.name);
  // Aborted on shutdown: every running ffmpeg is killed, the job is retried by the next worker.
  private readonly shutdown = new AbortController();

  constructor(
    private readonly repo: MediaRepository,
    private readonly catalog: MediaCatalog,
    private readonly storage: StorageDriver,
    private readonly announcer: MediaAnnouncer,
    private readonly config: AppConfig,
  ) {}

  onApplicationShutdown(): void {
    this.shutdown.abort();
  }

  /**
   * Work folders are named after their worker's pid: those of a worker that died without its `finally`
   * (kill -9, a crashed host) are removed here; those of live workers on this machine are left alone.
   */
  async onApplicationBootstrap(): Promise<void> {
    const root = tmpdir();
    for (const name of await readdir(root).catch(() => [] as string[])) {
      const pid = Number(WORK_DIR.exec(name)?.[1]);
      if (pid && pid !== process.pid && !isAlive(pid)) await rm(join(root, name), { recursive: true, force: true });
    }
  }

  async process(mediaId: string): Promise<{ status: string }> {
    const media = await this.repo.findById(mediaId);
    if (!media) return { status: 'gone' };
    if (media.status !== 'processing') {
      // A previous run set the final state but died before deleting the original.
      await this.dropOriginal(media);
      return { status: media.status };
    }
    const dir = await mkdtemp(join(tmpdir(), `media-work-${process.pid}-`));
    try {
      const input = join(dir, 'input');
      const original = await this.storage.get(media.keys.original);
      await pipeline(original.body, createWriteStream(input));
      let rendered: Rendered;
      try {
        rendered = await this.render(media, input, dir);
      } catch (err) {
        if (!(err instanceof ToolFailure) || err.reason === 'aborted') throw err; // retried
        this.logger.warn(`Media ${media.id} failed: ${err.message.slice(0, 500)}`);
        return this.fail(media, err.reason);
      }
      const keys = { ...media.keys };
      for (const out of rendered.outputs) {
        const key = mediaObjectKey(media.ownerId, media.id, out.variant, out.ext);
        const body = 'data' in out ? out.data : createReadStream(out.path);
        const size = 'data' in out ? out.data.length : (await stat(out.path)).size;
        await this.storage.put(key, body, { contentType: out.contentType, size });
        if (out.variant !== 'original') keys[out.variant] = key;
      }
      keys.main ??= media.keys.original;
      const main = rendered.outputs.find((o) => o.variant === 'main');
      const mainSize = main ? ('data' in main ? main.data.length : (await stat(main.path)).size) : media.originalSizeBytes;
      const fields: ProcessedFields = {
        mimeType: main?.contentType ?? media.originalMimeType,
        sizeBytes: mainSize,
        ...rendered.fields,
        keys,
      };
      if (await this.repo.finish(media.id, 'ready', null, fields)) {
        await this.dropOriginal({ ...media, status: 'ready', keys });
        await this.announcer.announce(media.id);
        return { status: 'ready' };
      }
      await this.discardIfUnused(media.id, keys);
      return { status: 'superseded' };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  private async render(media: MediaRecord, input: string, dir: string): Promise<Rendered> {
    const tool: ToolOptions = { signal: this.shutdown.signal, timeoutMs: this.config.media.toolTimeoutMs };
    const demuxer = demuxerOf(media.originalMimeType);
    switch (media.kind) {
      case 'image': {
        const img = await processImage(input, media.originalMimeType, this.config.media.imageMaxSide);
        return {
          outputs: [
            { variant: 'main', ...img.main },
            { variant: 'thumbnail', ...img.thumbnail },
          ],
          fields: { width: img.width, height: img.height, placeholder: img.placeholder },
        };
      }
      case 'video': {
        if (!demuxer) throw new ToolFailure('undecodable', `no demuxer for ${media.originalMimeType}`);
        const v = await processVideo(input, demuxer, this.config.media.videoMaxHeight, dir, tool);
        return {
          outputs: [
            { variant: 'main', path: v.mainPath, ext: 'mp4', contentType: 'video/mp4' },
            { variant: 'preview', path: v.posterPath, ext: 'jpg', contentType: 'image/jpeg' },
          ],
          fields: { width: v.width, height: v.height, durationMs: v.durationMs, placeholder: v.placeholder },
        };
      }
      case 'voice':
      case 'audio': {
        if (!demuxer) throw new ToolFailure('undecodable', `no demuxer for ${media.originalMimeType}`);
        const a = media.kind === 'voice' ? await processVoice(input, demuxer, dir, tool) : await processAudio(input, demuxer, dir, tool);
        return {
          outputs: [{ variant: 'main', path: a.mainPath, ext: a.ext, contentType: a.contentType }],
          fields: { durationMs: a.durationMs, waveform: a.waveform },
        };
      }
      case 'document': {
        if (media.originalMimeType !== 'application/pdf') return { outputs: [], fields: {} };
        const pdf = await processPdf(input, dir, tool);
        if (!pdf) return { outputs: [], fields: {} };
        return {
          outputs: [{ variant: 'preview', path: pdf.previewPath, ext: 'png', contentType: 'image/png' }],
          fields: { pageCount: pdf.pageCount },
        };
      }
    }
  }

  private async fail(media: MediaRecord, reason: string): Promise<{ status: string }> {
    if (await this.repo.finish(media.id, 'failed', reason, null)) {
      await this.catalog.deleteObjects([media.keys.original]);
      await this.announcer.announce(media.id);
    }
    return { status: 'failed' };
  }

  /** The original is never served (it may carry EXIF, GPS, odd codecs) once a rendition replaces it, nor once failed. */
  private async dropOriginal(media: MediaRecord): Promise<void> {
    const replaced = media.keys.main !== undefined && media.keys.main !== media.keys.original;
    if (replaced || media.status === 'failed') await this.catalog.deleteObjects([media.keys.original]);
  }

  /** Cancelled or deleted while this run worked: its outputs (and the original) belong to nobody. */
  private async discardIfUnused(id: string, keys: Record<string, string | undefined>): Promise<void> {
    const now = await this.repo.findById(id);
    if (now?.status === 'ready') return; // an earlier run of this job finished first, with the same keys
    await this.catalog.deleteObjects(Object.values(keys));
  }
}
