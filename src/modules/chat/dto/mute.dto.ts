import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { Equals, IsDate, IsOptional } from 'class-validator';

export class MuteChatDto {
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  @ApiPropertyOptional({ type: String, format: 'date-time', description: 'Muted until then (future)', example: '2026-12-01T08:00:00.000Z' })
  until?: Date;

  @IsOptional()
  @Equals(true)
  @ApiPropertyOptional({ type: Boolean, enum: [true], description: 'Muted until unmuted' })
  forever?: true;
}

export class ChatMuteDto {
  @ApiProperty({ example: '665f1c2b9a1e4d3f2a1b0c9d' })
  chatId!: string;

  @ApiProperty({ description: 'Muted now: no push for its messages (they still count unread)' })
  muted!: boolean;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'End of the mute; null when not muted or forever' })
  mutedUntil!: string | null;

  @ApiProperty()
  forever!: boolean;
}
