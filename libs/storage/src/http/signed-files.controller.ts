import { Controller, Get, HttpStatus, Param, Query, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiParam, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AppError, errorExample } from '@app/common';
import { Public } from '@app/common';
import { LocalStorageDriver } from '../drivers/local.driver.js';
import { StorageDriver } from '../storage-driver.js';
import { SignedFileQueryDto } from './signed-file-query.dto.js';
import { serveObject } from './serve-object.js';
import { SIGNED_FILES_ROUTE } from './signed-url.js';

/**
 * Serves private objects of the local driver behind short-lived HMAC-signed URLs (what S3 presigned
 * URLs are for an S3 deployment). Whoever holds a live URL may read; the module that issued it
 * decided who gets one. `Cache-Control: private` keeps the bytes out of shared caches.
 */
@ApiTags('files')
@Controller(SIGNED_FILES_ROUTE)
export class SignedFilesController {
  constructor(private readonly storage: StorageDriver) {}

  @Public()
  @Get('*key')
  @ApiOperation({
    summary: 'Download a private object through a signed URL (local storage driver only)',
    description:
      'URLs come from the API (e.g. message attachments) and expire (MEDIA_URL_TTL_SECONDS). Supports single byte ranges (206) and HEAD.',
    security: [],
  })
  @ApiParam({ name: 'key', example: 'media/665f1c2b9a1e4d3f2a1b0c9d/665f1c2b9a1e4d3f2a1b0c9e-original.jpg' })
  @ApiHeader({ name: 'Range', required: false, example: 'bytes=0-1023' })
  @ApiProduces('image/jpeg', 'image/webp', 'video/mp4', 'audio/ogg', 'audio/mp4', 'application/pdf', 'application/octet-stream')
  @ApiResponse({ status: 200, description: 'The whole object' })
  @ApiResponse({ status: 206, description: 'The requested byte range, with Content-Range' })
  @ApiResponse({ status: 304, description: 'Not modified (If-None-Match matched)' })
  @ApiResponse({
    status: 400,
    description: 'Malformed query: a parameter other than expires and signature (e.g. `signature[$gt]`), or one given twice',
    ...errorExample(400, 'validation_failed', 'property signature[$gt] should not exist'),
  })
  @ApiResponse({
    status: 403,
    description: 'Signature wrong or expired',
    ...errorExample(403, 'url_expired', 'This link is invalid or has expired'),
  })
  @ApiResponse({ status: 404, description: 'No such object', ...errorExample(404, 'storage_object_not_found', 'No such stored object') })
  @ApiResponse({ status: 416, description: 'Range not satisfiable' })
  async serve(
    @Param('key') key: string | string[],
    @Query() { expires, signature }: SignedFileQueryDto,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const joined = Array.isArray(key) ? key.join('/') : key;
    if (!(this.storage instanceof LocalStorageDriver) || !this.storage.verifySignature(joined, expires, signature)) {
      throw new AppError(HttpStatus.FORBIDDEN, 'url_expired', 'This link is invalid or has expired');
    }
    const left = Math.max(0, Number(expires) - Math.floor(Date.now() / 1000));
    await serveObject(this.storage, joined, req, res, `private, max-age=${left}`);
  }
}
