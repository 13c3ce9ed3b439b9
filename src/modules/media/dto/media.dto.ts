import { ApiProperty } from '@nestjs/swagger';

const ID = '665f1c2b9a1e4d3f2a1b0c9d';

export class MediaUrlsDto {
  @ApiProperty({ nullable: true, type: String, description: 'The processed file (null until ready)' }) url!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Image thumbnail' }) thumbnailUrl!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Video poster frame or PDF first page' }) previewUrl!: string | null;
  @ApiProperty({ example: '2025-01-31T11:00:00.000Z', description: 'When the signed URLs stop working' }) expiresAt!: string;
}

export class MediaDto {
  @ApiProperty({ example: ID }) id!: string;
  @ApiProperty({ example: ID }) ownerId!: string;
  @ApiProperty({ enum: ['image', 'video', 'audio', 'voice', 'document'], example: 'image' }) kind!: string;
  @ApiProperty({ enum: ['processing', 'ready', 'failed'], example: 'processing' }) status!: string;
  @ApiProperty({ nullable: true, type: String, example: null, description: 'Why processing failed (e.g. undecodable, cancelled)' })
  failureReason!: string | null;
  @ApiProperty({ example: 'image/jpeg', description: 'Type of the processed file (until ready: of the upload)' }) mimeType!: string;
  @ApiProperty({ example: 183204 }) sizeBytes!: number;
  @ApiProperty({ nullable: true, type: String, description: 'Documents: the sanitised original name, for display only' })
  name!: string | null;
  @ApiProperty({ nullable: true, type: Number, example: 1536 }) width!: number | null;
  @ApiProperty({ nullable: true, type: Number, example: 2048 }) height!: number | null;
  @ApiProperty({ nullable: true, type: Number, example: null }) durationMs!: number | null;
  @ApiProperty({ nullable: true, type: [Number], description: 'Voice notes: 64 values 0-100' }) waveform!: number[] | null;
  @ApiProperty({ nullable: true, type: Number, example: null }) pageCount!: number | null;
  @ApiProperty({ nullable: true, type: String, description: 'Thumbhash (base64) to show before the bytes arrive' })
  placeholder!: string | null;
  @ApiProperty({ example: '2025-01-31T10:00:00.000Z' }) createdAt!: string;
  @ApiProperty({ type: MediaUrlsDto }) urls!: MediaUrlsDto;
}
