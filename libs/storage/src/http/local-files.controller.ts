import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiParam, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '@app/common';
import { LOCAL_FILES_ROUTE } from '../drivers/local.driver.js';
import { OBJECT_KEY_PATTERN } from '../object-key.js';
import { StorageDriver } from '../storage-driver.js';
import { StorageObjectNotFound } from '../errors.js';
import { serveObject } from './serve-object.js';
import { isSignedOnlyKey } from './signed-url.js';

/**
 * Serves objects of the local driver. Public: keys are 128-bit random, so the URL is the capability
 * (as with a CDN). Objects never change under a key, hence the year-long immutable cache. Keys under
 * a signed-only prefix (chat media) are never served here: see SignedFilesController.
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
    const joined = Array.isArray(key) ? key.join('/') : key;
    // Private media exist only behind signed URLs: here they are as absent as a key never written.
    if (isSignedOnlyKey(joined)) throw new StorageObjectNotFound(joined);
    await serveObject(this.storage, joined, req, res, 'public, max-age=31536000, immutable');
  }
}
