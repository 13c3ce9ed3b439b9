import { ApiProperty } from '@nestjs/swagger';

const ID = '665f1c2b9a1e4d3f2a1b0c9d';
const AT = '2025-01-31T10:00:00.000Z';

export class StatusMediaDto {
  @ApiProperty({ example: ID }) id!: string;
  @ApiProperty({ enum: ['image', 'video'] }) kind!: string;
  @ApiProperty({ example: 'image/jpeg' }) mimeType!: string;
  @ApiProperty({ nullable: true, type: Number }) width!: number | null;
  @ApiProperty({ nullable: true, type: Number }) height!: number | null;
  @ApiProperty({ nullable: true, type: Number }) durationMs!: number | null;
  @ApiProperty({ nullable: true, type: String }) placeholder!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Signed, short-lived' }) url!: string | null;
  @ApiProperty({ nullable: true, type: String }) thumbnailUrl!: string | null;
  @ApiProperty({ nullable: true, type: String }) previewUrl!: string | null;
  @ApiProperty({ nullable: true, type: String, example: AT }) urlsExpireAt!: string | null;
}

export class StatusDto {
  @ApiProperty({ example: ID }) id!: string;
  @ApiProperty({ example: ID }) authorId!: string;
  @ApiProperty({ enum: ['text', 'image', 'video'] }) kind!: string;
  @ApiProperty({ nullable: true, type: String, example: 'At the beach' }) text!: string | null;
  @ApiProperty({ nullable: true, type: String, example: '#25D366' }) background!: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'serif' }) font!: string | null;
  @ApiProperty({ nullable: true, type: String }) caption!: string | null;
  @ApiProperty({ nullable: true, type: StatusMediaDto }) media!: StatusMediaDto | null;
  @ApiProperty({ example: AT }) createdAt!: string;
  @ApiProperty({ example: AT }) expiresAt!: string;
  @ApiProperty({ description: 'Whether I have viewed it (always true for my own)' }) viewed!: boolean;
}

export class OwnStatusDto extends StatusDto {
  @ApiProperty({ enum: ['pending', 'active', 'failed'], description: 'pending: waiting for its media to be processed' }) state!: string;
  @ApiProperty({ enum: ['contacts', 'contacts_except', 'only'] }) audienceMode!: string;
  @ApiProperty({ description: 'How many connections it was shared with (fixed at posting)' }) audienceSize!: number;
}

export class StatusViewerDto {
  @ApiProperty({ example: ID }) userId!: string;
  @ApiProperty({ example: AT }) viewedAt!: string;
}

export class MyStatusDto extends OwnStatusDto {
  @ApiProperty({ type: [StatusViewerDto], description: 'Viewing order; only viewers who also have read receipts on (and both on mine)' })
  viewers!: StatusViewerDto[];
}

export class FeedAuthorDto {
  @ApiProperty({ example: ID }) authorId!: string;
  @ApiProperty({ description: 'I muted this author: listed last, no live events' }) muted!: boolean;
  @ApiProperty() hasUnseen!: boolean;
  @ApiProperty({ example: AT, description: 'Their newest status' }) latestAt!: string;
  @ApiProperty({ type: [StatusDto], description: 'Posting order' }) statuses!: StatusDto[];
}

export class FeedDto {
  @ApiProperty({ type: [OwnStatusDto], description: 'My live statuses, posting order' }) mine!: OwnStatusDto[];
  @ApiProperty({ type: [FeedAuthorDto], description: 'Unseen first, then seen, muted last' }) authors!: FeedAuthorDto[];
}

export class StatusPrivacyDto {
  @ApiProperty({ enum: ['contacts', 'contacts_except', 'only'] }) mode!: string;
  @ApiProperty({ type: [String] }) userIds!: string[];
  @ApiProperty() readReceipts!: boolean;
}

export class ViewResultDto {
  @ApiProperty({ example: ID }) statusId!: string;
  @ApiProperty({ nullable: true, type: String, example: AT, description: 'My first view (null on my own status)' }) viewedAt!:
    string | null;
}

export class PostedMessageDto {
  @ApiProperty({ example: ID }) messageId!: string;
  @ApiProperty({ example: ID }) chatId!: string;
  @ApiProperty({ example: 12 }) seq!: number;
  @ApiProperty({ description: 'false: a retry, the original message' }) created!: boolean;
}
