import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import type { ConnectionRequestPayload } from '@app/realtime';
import { PageQueryDto } from '@app/common';
import { PublicProfileDto } from '../../profile/index.js';

export class ConnectionRequestDto implements ConnectionRequestPayload {
  @ApiProperty({ example: '6660a1b2c3d4e5f6a7b8c9d0' })
  id!: string;

  @ApiProperty({ example: '665f1c2b9a1e4d3f2a1b0c9d', description: 'The user who scanned the QR code' })
  fromUserId!: string;

  @ApiProperty({ example: '665f1c2b9a1e4d3f2a1b0c9e', description: 'The owner of the QR code, who accepts or rejects' })
  toUserId!: string;

  @ApiProperty({ enum: ['pending', 'accepted', 'rejected', 'cancelled'], example: 'pending' })
  status!: 'pending' | 'accepted' | 'rejected' | 'cancelled';

  @ApiProperty({ example: '2025-01-31T10:00:00.000Z' })
  createdAt!: string;

  @ApiProperty({ example: '2025-02-07T10:00:00.000Z', description: 'A pending request expires then (CONNECTION_REQUEST_TTL_SECONDS)' })
  expiresAt!: string;
}

export class RequestListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['incoming', 'outgoing'], default: 'incoming', description: 'incoming: sent to me; outgoing: sent by me' })
  @IsOptional()
  @IsIn(['incoming', 'outgoing'])
  direction: 'incoming' | 'outgoing' = 'incoming';
}

/** A listed request, with the other party's public profile as I may see it (who scanned me / whom I scanned). */
export class ListedConnectionRequestDto extends ConnectionRequestDto {
  @ApiProperty({ type: PublicProfileDto, description: 'The other party (the sender for incoming, the receiver for outgoing)' })
  user!: PublicProfileDto;
}

export class ConnectionRequestPageDto {
  @ApiProperty({ type: [ListedConnectionRequestDto] })
  items!: ListedConnectionRequestDto[];

  @ApiProperty({ type: String, nullable: true, example: null, description: 'Pass as cursor for the next page; null on the last page' })
  nextCursor!: string | null;
}
