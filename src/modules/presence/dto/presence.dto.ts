import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, Matches } from 'class-validator';

export const MAX_PRESENCE_IDS = 100;

/** `a,b` or a repeated parameter -> trimmed, lower-cased ids; anything else is left for the validators to refuse. */
function splitIds(value: unknown): unknown {
  const parts: unknown[] = Array.isArray(value) ? (value as unknown[]) : [value];
  if (!parts.every((p): p is string => typeof p === 'string')) return value;
  return parts
    .flatMap((p) => p.split(','))
    .map((p) => p.trim().toLowerCase())
    .filter((p) => p !== '');
}

/** `?userIds=a,b` (or repeated `userIds=`): at most 100 ObjectIds. */
export class PresenceQueryDto {
  @ApiProperty({
    description: `Comma-separated user ids (at most ${MAX_PRESENCE_IDS}); ids that are not your connections are omitted from the answer`,
    example: '665f1c2b9a1e4d3f2a1b0c9d,665f1c2b9a1e4d3f2a1b0c9e',
    type: String,
  })
  @Transform(({ value }: { value: unknown }) => splitIds(value))
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_PRESENCE_IDS)
  @Matches(/^[0-9a-f]{24}$/, { each: true, message: 'each value in userIds must be a 24-character hex id' })
  userIds!: string[];
}

export class PresenceItemDto {
  @ApiProperty({ example: '665f1c2b9a1e4d3f2a1b0c9d' })
  userId!: string;

  @ApiProperty({ description: 'True while the user has a socket open on any api process', example: false })
  online!: boolean;

  @ApiProperty({
    description: 'When the user was last online; null when never seen, or hidden by either side’s last-seen privacy',
    example: '2025-11-25T21:04:05.000Z',
    type: String,
    nullable: true,
  })
  lastSeen!: string | null;
}

export class PresenceListDto {
  @ApiProperty({ type: [PresenceItemDto], description: 'One item per requested id that is one of your connections' })
  items!: PresenceItemDto[];
}
