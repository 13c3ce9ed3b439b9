import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  Equals,
  IsArray,
  IsBoolean,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

const NOTIFICATION_KINDS = ['connection.requested', 'connection.accepted', 'call.missed', 'status.replied'];

export class ListNotificationsQueryDto {
  @IsOptional()
  @IsString()
  @MaxLength(200)
  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  cursor?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, default: 20 })
  limit?: number;
}

export class ReadNotificationsDto {
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @Matches(/^[0-9a-fA-F]{24}$/, { each: true, message: 'each value in ids must be a 24-character hex id' })
  @ApiPropertyOptional({
    type: [String],
    description: 'Notifications to mark read (others are ignored)',
    example: ['665f1c2b9a1e4d3f2a1b0c9d'],
  })
  ids?: string[];

  @IsOptional()
  @Equals(true)
  @ApiPropertyOptional({ type: Boolean, enum: [true], description: 'Mark every notification read' })
  all?: true;
}

export class NotificationSubjectDto {
  @ApiProperty({ enum: ['connection-request', 'call', 'status', 'chat'] })
  type!: string;

  @ApiProperty({ example: '665f1c2b9a1e4d3f2a1b0c9d' })
  id!: string;
}

export class NotificationDto {
  @ApiProperty({ example: '665f1c2b9a1e4d3f2a1b0c9d' })
  id!: string;

  @ApiProperty({ enum: NOTIFICATION_KINDS })
  kind!: string;

  @ApiProperty({ type: String, nullable: true, description: 'Who caused it' })
  actorId!: string | null;

  @ApiProperty({ type: NotificationSubjectDto })
  subject!: NotificationSubjectDto;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Kind-specific details', example: { callKind: 'video' } })
  data!: Record<string, string | number | boolean | null>;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  seenAt!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  readAt!: string | null;
}

export class NotificationPageDto {
  @ApiProperty({ type: [NotificationDto] })
  items!: NotificationDto[];

  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next (older) page; null at the end' })
  nextCursor!: string | null;
}

export class UnreadCountDto {
  @ApiProperty({ type: 'integer', example: 3, description: 'Exact: counted from the notifications' })
  unread!: number;
}

export class ReadResultDto {
  @ApiProperty({ type: 'integer', description: 'How many changed from unread to read' })
  updated!: number;

  @ApiProperty({ type: 'integer' })
  unread!: number;
}

export class QuietHoursDto {
  @IsString()
  @ApiProperty({ example: '22:00', description: 'Local start, HH:MM (24 h)' })
  start!: string;

  @IsString()
  @ApiProperty({ example: '07:00', description: 'Local end, HH:MM (24 h); before start = crosses midnight' })
  end!: string;

  @IsString()
  @MaxLength(64)
  @ApiProperty({ example: 'Europe/Paris', description: 'IANA time zone' })
  timeZone!: string;
}

export class UpdatePreferencesDto {
  @IsOptional()
  @IsBoolean()
  @ApiPropertyOptional({ description: 'No push for any chat message (unread counts unchanged)' })
  muteAllChats?: boolean;

  @IsOptional()
  @IsBoolean()
  @ApiPropertyOptional({ description: 'Message text in pushes; false: "New message"' })
  previews?: boolean;

  @IsOptional()
  @ValidateNested()
  @Type(() => QuietHoursDto)
  @ApiPropertyOptional({ type: QuietHoursDto, nullable: true, description: 'No push inside this daily window; null turns it off' })
  quietHours?: QuietHoursDto | null;
}

export class PreferencesDto {
  @ApiProperty()
  muteAllChats!: boolean;

  @ApiProperty()
  previews!: boolean;

  @ApiProperty({ type: QuietHoursDto, nullable: true })
  quietHours!: QuietHoursDto | null;
}
