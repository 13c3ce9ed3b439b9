import { ApiProperty } from '@nestjs/swagger';
import { PublicProfileDto } from '../../profile/index.js';
import { ConnectionRequestDto } from './request.dto.js';

export class PresenceDto {
  @ApiProperty({ example: true })
  online!: boolean;

  @ApiProperty({
    type: String,
    nullable: true,
    example: '2025-01-31T09:58:00.000Z',
    description: 'null when hidden by privacy or never seen',
  })
  lastSeen!: string | null;
}

export class ContactDto {
  @ApiProperty({ example: '665f1c2b9a1e4d3f2a1b0c9e' })
  userId!: string;

  @ApiProperty({ example: '2025-01-31T10:00:00.000Z', description: 'When the request was accepted' })
  connectedAt!: string;

  @ApiProperty({
    type: PublicProfileDto,
    nullable: true,
    description: 'The public profile as this viewer may see it: fields hidden by privacy settings are absent',
  })
  profile!: PublicProfileDto | null;

  @ApiProperty({ type: PresenceDto, nullable: true, description: 'null when hidden by privacy or presence is not available' })
  presence!: PresenceDto | null;
}

export class ContactPageDto {
  @ApiProperty({ type: [ContactDto] })
  items!: ContactDto[];

  @ApiProperty({ type: String, nullable: true, example: null, description: 'Pass as cursor for the next page; null on the last page' })
  nextCursor!: string | null;
}

export class AcceptedDto {
  @ApiProperty({ type: ConnectionRequestDto, description: 'The request, now accepted' })
  request!: ConnectionRequestDto;

  @ApiProperty({ type: ContactDto, description: 'The new contact (the sender of the request)' })
  contact!: ContactDto;
}

export class BlockDto {
  @ApiProperty({ example: '665f1c2b9a1e4d3f2a1b0c9e' })
  userId!: string;

  @ApiProperty({ example: '2025-01-31T10:00:00.000Z' })
  blockedAt!: string;
}

export class BlockPageDto {
  @ApiProperty({ type: [BlockDto] })
  items!: BlockDto[];

  @ApiProperty({ type: String, nullable: true, example: null, description: 'Pass as cursor for the next page; null on the last page' })
  nextCursor!: string | null;
}
