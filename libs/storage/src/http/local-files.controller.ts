import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiParam, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { createHash } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { Public } from '@app/common';
import { LOCAL_FILES_ROUTE } from '../drivers/local.driver.js';
import { OBJECT_KEY_PATTERN } from '../object-key.js';
import { StorageDriver } from '../storage-driver.js';
import { parseRange } from './range.js';

/**
 * Serves objects of the local driver. Public: keys are 128-bit random, so the URL is the capability
 * (as with a CDN). Objects never change under a key, hence the year-long immutable cache.
 */
const BYTES = { schema: { type: 'string', format: 'binary' } };
const OBJECT_BYTES = { 'image/jpeg': BYTES, 'image/png': BYTES, 'image/webp': BYTES, 'application/octet-stream': BYTES };

@ApiTags('files')
@Controller(LOCAL_FILES_ROUTE)
export class LocalFilesController {
  constructor(private readonly storage: StorageDriver) {}

  @Public()
  @Get('*key')
  @ApiOperation({
    summary: 'Download a stored object (local storage driver only)',
    description: 'Supports single byte ranges (206), If-None-Match (304) and HEAD. Cached for a year: objects never change.',
    security: [],
  })
  @ApiParam({
    name: 'key',
    description: 'The object key; it spans several path segments (`/` is part of it)',
    schema: { type: 'string', pattern: OBJECT_KEY_PATTERN, example: 'avatars/665f1c2b9a1e4d3f2a1b0c9d/Qk3vX1o2b9cA8dLm4nP0rw.jpg' },
  })
  @ApiHeader({ name: 'Range', required: false, example: 'bytes=0-1023' })
  @ApiProduces('image/jpeg', 'image/png', 'image/webp', 'application/octet-stream')
  @ApiResponse({ status: 200, description: 'The whole object', content: OBJECT_BYTES })
  @ApiResponse({ status: 206, description: 'The requested byte range, with Content-Range', content: OBJECT_BYTES })
  @ApiResponse({ status: 304, description: 'Not modified (If-None-Match matched)' })
  @ApiResponse({
    status: 404,
    description: 'No such object',
    example: { statusCode: 404, error: 'Not Found', message: 'No such stored object', code: 'storage_object_not_found' },
  })
  @ApiResponse({ status: 416, description: 'Range not satisfiable' })
  async serve(@Param('key') key: string | string[], @Req() req: Request, @Res() res: Response): Promise<void> {
    const info = await this.storage.head(Array.isArray(key) ? key.join('/') : key);
    const etag = `"${info.size.toString(16)}-${createHash('sha1').update(info.key).digest('base64url').slice(0, 16)}"`;
    res.setHeader('ETag', etag);
    res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    res.setHeader('Accept-Ranges', 'bytes');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    // Nothing served from here may run script in the api's origin, whatever its type.
    res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
    if (req.headers['if-none-match']?.split(/\s*,\s*/).includes(etag)) {
      res.status(304).end();
      return;
    }
    const range = parseRange(req.headers.range, info.size);
    if (range === 'unsatisfiable') {
      res.status(416).setHeader('Content-Range', `bytes */${info.size}`).end();
      return;
    }
    res.setHeader('Content-Type', info.contentType);
    if (range) {
      res.status(206).setHeader('Content-Range', `bytes ${range.start}-${range.end}/${info.size}`);
      res.setHeader('Content-Length', range.end - range.start + 1);
    } else {
      res.status(200).setHeader('Content-Length', info.size);
    }
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    const object = await this.storage.get(info.key, range ?? undefined);
    // A client that goes away mid-download is not an error worth a stack trace.
    await pipeline(object.body, res).catch(() => res.destroy());
  }
}
