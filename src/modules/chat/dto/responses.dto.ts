import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PublicProfileDto } from '../../profile/index.js';

const ID = '665f1c2b9a1e4d3f2a1b0c9d';
const AT = '2025-01-31T10:00:00.000Z';

export class ReplyPreviewDto {
  @ApiProperty({ example: ID }) id!: string;
  @ApiProperty({ example: 40 }) seq!: number;
  @ApiProperty({ example: ID }) senderId!: string;
  @ApiProperty({ example: 'text' }) type!: string;
  @ApiProperty({ example: 'Dinner?', nullable: true, type: String }) text!: string | null;
  @ApiProperty({ description: 'The answered message was deleted for everyone', example: false }) deleted!: boolean;
}

export class MessageAttachmentDto {
  @ApiProperty({ nullable: true, type: String }) mediaId!: string | null;
  @ApiProperty() url!: string;
  @ApiProperty({ example: 'image/jpeg' }) mimeType!: string;
  @ApiProperty() sizeBytes!: number;
  @ApiProperty({ nullable: true, type: String }) name!: string | null;
  @ApiProperty({ nullable: true, type: Number }) width!: number | null;
  @ApiProperty({ nullable: true, type: Number }) height!: number | null;
  @ApiProperty({ nullable: true, type: Number }) durationMs!: number | null;
}

export class CallInfoDto {
  @ApiProperty({ example: '6660a1b2c3d4e5f6a7b8c9d0' }) callId!: string;
  @ApiProperty({ enum: ['audio', 'video'], example: 'video' }) kind!: string;
  @ApiProperty({ enum: ['answered', 'missed', 'rejected', 'busy', 'cancelled', 'failed'], example: 'answered' }) outcome!: string;
  @ApiProperty({ description: 'Talk time; 0 when never answered', example: 192000 }) durationMs!: number;
}

export class StatusRefDto {
  @ApiProperty({ example: ID }) id!: string;
  @ApiProperty({ example: ID }) authorId!: string;
  @ApiProperty({ enum: ['text', 'image', 'video'], example: 'image' }) kind!: string;
  @ApiProperty({ nullable: true, type: String, description: 'The status text or caption', example: 'At the beach' }) text!: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Short-lived signed URL of the status thumbnail; null for text statuses and once unavailable',
  })
  thumbnailUrl!: string | null;
  @ApiProperty({ description: 'false once the status expired: show "status unavailable"', example: true }) available!: boolean;
}

export class MessageDto {
  @ApiProperty({ example: ID }) id!: string;
  @ApiProperty({ example: ID }) chatId!: string;
  @ApiProperty({ description: 'Position in the chat: unique, increasing; order by it', example: 41 }) seq!: number;
  @ApiProperty({ example: ID }) senderId!: string;
  @ApiProperty({ example: '4f6c1d2e-8a7b-4c3d-9e0f-1a2b3c4d5e6f' }) clientMessageId!: string;
  @ApiProperty({ enum: ['text', 'image', 'video', 'audio', 'file', 'call'], example: 'text' }) type!: string;
  @ApiProperty({ example: 'See you at 8?', nullable: true, type: String, description: 'null when deleted for everyone' }) text!:
    string | null;
  @ApiProperty({ type: [MessageAttachmentDto] }) attachments!: MessageAttachmentDto[];
  @ApiProperty({ type: ReplyPreviewDto, nullable: true }) replyTo!: ReplyPreviewDto | null;
  @ApiProperty({ type: CallInfoDto, nullable: true, description: "`type: 'call'` only" }) call!: CallInfoDto | null;
  @ApiProperty({ type: StatusRefDto, nullable: true, description: 'The status this message replies or reacts to' })
  statusRef!: StatusRefDto | null;
  @ApiProperty({ description: 'userId -> emoji', example: { [ID]: '👍' }, type: 'object', additionalProperties: { type: 'string' } })
  reactions!: Record<string, string>;
  @ApiProperty({ example: null, nullable: true, type: String }) editedAt!: string | null;
  @ApiProperty({ description: 'Deleted for everyone: a tombstone', example: false }) deleted!: boolean;
  @ApiProperty({ example: AT }) createdAt!: string;
}

export class MessagePageDto {
  @ApiProperty({ type: [MessageDto], description: 'In seq order (oldest first)' }) items!: MessageDto[];
  @ApiProperty({ description: 'More messages beyond this page in the direction asked', example: false }) hasMore!: boolean;
}

export class ChatPeerPresenceDto {
  @ApiProperty() online!: boolean;
  @ApiProperty({ nullable: true, type: String, example: AT }) lastSeen!: string | null;
}

export class ChatPeerDto {
  @ApiProperty({ example: ID }) id!: string;
  @ApiProperty({ description: 'Public profile as the viewer may see it (privacy applied)', nullable: true, type: PublicProfileDto })
  profile!: PublicProfileDto | null;
  @ApiProperty({ type: ChatPeerPresenceDto, nullable: true, description: 'null when hidden by privacy' })
  presence!: ChatPeerPresenceDto | null;
}

export class ChatMarkerPairDto {
  @ApiProperty({ example: 41 }) delivered!: number;
  @ApiProperty({ example: 40 }) seen!: number;
}

export class ChatMarkersDto {
  @ApiProperty({ type: ChatMarkerPairDto }) mine!: ChatMarkerPairDto;
  @ApiProperty({ type: ChatMarkerPairDto }) peer!: ChatMarkerPairDto;
}

export class ChatDto {
  @ApiProperty({ example: ID }) id!: string;
  @ApiProperty({ type: ChatPeerDto }) peer!: ChatPeerDto;
  @ApiProperty({ type: MessageDto, nullable: true }) lastMessage!: MessageDto | null;
  @ApiProperty({ description: "The peer's messages above my seen marker, not deleted", example: 2 }) unreadCount!: number;
  @ApiProperty({ example: 41 }) lastSeq!: number;
  @ApiProperty({ type: ChatMarkersDto }) markers!: ChatMarkersDto;
  @ApiProperty({ example: false }) muted!: boolean;
  @ApiProperty({ example: AT }) lastActivityAt!: string;
  @ApiProperty({ example: AT }) createdAt!: string;
}

export class ChatPageDto {
  @ApiProperty({ type: [ChatDto], description: 'Newest activity first' }) items!: ChatDto[];
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Pass as `cursor` for the next page; null at the end' })
  nextCursor!: string | null;
}

export class MarkerResultDto {
  @ApiProperty({ example: ID }) chatId!: string;
  @ApiProperty({ example: ID }) userId!: string;
  @ApiProperty({ description: 'The marker now (never lower than before, never above the last seq)', example: 41 }) upToSeq!: number;
}
