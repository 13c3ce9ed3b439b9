import { Controller, Get, HttpStatus, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ApiUnauthorized, errorExample, ParseObjectIdPipe } from '@app/common';
import { type AuthUser, CurrentUser } from '../../core/http/current-user.decorator.js';
import { MediaDto } from './dto/media.dto.js';
import { type MediaView, MediaService } from './media.service.js';

@ApiTags('media')
@ApiUnauthorized()
@Controller('media')
export class MediaController {
  constructor(private readonly media: MediaService) {}

  @Post()
  @ApiOperation({
    summary: 'Upload a photo, video, audio, voice note or document',
    description:
      'multipart/form-data with the file in `file` and optionally `kind: voice`. Streamed to storage with a per-kind size ' +
      'cap enforced while streaming (MEDIA_MAX_*_BYTES); the type comes from the bytes, never the name. Answers 202 while ' +
      'the worker processes it (a `media:processed` event follows); the same bytes uploaded again by the same user give ' +
      'the same media (200).',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: { file: { type: 'string', format: 'binary' }, kind: { type: 'string', enum: ['voice'] } },
    },
  })
  @ApiResponse({ status: 202, description: 'Stored; processing in the worker', type: MediaDto })
  @ApiOkResponse({ description: 'These bytes were uploaded before: that media', type: MediaDto })
  @ApiResponse({
    status: 400,
    description: 'Not multipart, no `file`, or a bad `kind`',
    ...errorExample(400, 'file_missing', 'No file in the multipart field "file"'),
  })
  @ApiResponse({
    status: 413,
    description: 'Larger than the cap of its kind (cut off while streaming)',
    ...errorExample(413, 'file_too_large', 'The file is larger than 16777216 bytes'),
  })
  @ApiResponse({
    status: 415,
    description: 'A type not on the allow-list (e.g. an executable, whatever its name)',
    ...errorExample(415, 'unsupported_media_type', 'The file must be an image, a video, audio or a document'),
  })
  @ApiResponse({
    status: 503,
    description: 'Storage unavailable',
    ...errorExample(503, 'storage_unavailable', 'Storage is unavailable (put)'),
  })
  async upload(@CurrentUser() user: AuthUser, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<MediaView> {
    const { created, media } = await this.media.upload(user.userId, req);
    res.status(created ? HttpStatus.ACCEPTED : HttpStatus.OK);
    return media;
  }

  @Get(':id')
  @ApiOperation({
    summary: 'A media item: state, metadata and signed URLs',
    description: 'For its owner, and for the other participant of a chat it was sent in; anyone else gets 404.',
  })
  @ApiParam({ name: 'id', example: '665f1c2b9a1e4d3f2a1b0c9d' })
  @ApiOkResponse({ type: MediaDto })
  @ApiResponse({ status: 400, description: 'Not an id', ...errorExample(400, 'invalid_id', 'id must be a 24-character hex id') })
  @ApiResponse({ status: 404, description: 'No such media, or not yours to see', ...errorExample(404, 'media_not_found', 'No such media') })
  get(@CurrentUser() user: AuthUser, @Param('id', ParseObjectIdPipe) id: string): Promise<MediaView> {
    return this.media.get(user.userId, id);
  }
}
