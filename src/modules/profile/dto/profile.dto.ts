import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

const AVATAR_EXAMPLE = '/files/avatars/665f1c2b9a1e4d3f2a1b0c9d/Qk3vX1o2b9cA8dLm4nP0rw.jpg';
const THUMB_EXAMPLE = '/files/avatars/665f1c2b9a1e4d3f2a1b0c9d/8dLm4nP0rwQk3vX1o2b9cA.jpg';

/** My own profile: every field, hidden from nobody. */
export class ProfileDto {
  @ApiProperty({ example: '665f1c2b9a1e4d3f2a1b0c9d' })
  userId!: string;

  @ApiProperty({ type: String, nullable: true, description: 'null until set', example: 'Ada Lovelace' })
  name!: string | null;

  @ApiProperty({ description: '"" when unset', example: 'Hey there! I am using Messaging' })
  about!: string;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Avatar, longest side at most 640 px (presigned and expiring with the S3 driver)',
    example: AVATAR_EXAMPLE,
  })
  avatarUrl!: string | null;

  @ApiProperty({ type: String, nullable: true, description: '96x96 thumbnail of the avatar', example: THUMB_EXAMPLE })
  avatarThumbUrl!: string | null;
}

/** Another user's profile as I may see it: fields their privacy settings hide are absent. */
export class PublicProfileDto {
  @ApiProperty({ example: '665f1c2b9a1e4d3f2a1b0c9d' })
  userId!: string;

  @ApiProperty({ type: String, nullable: true, example: 'Ada Lovelace' })
  name!: string | null;

  @ApiPropertyOptional({ description: 'Absent when hidden from me or unset', example: 'At the library' })
  about?: string;

  @ApiPropertyOptional({ description: 'Absent when hidden from me or unset', example: AVATAR_EXAMPLE })
  avatarUrl?: string;

  @ApiPropertyOptional({ description: 'Absent when hidden from me or unset', example: THUMB_EXAMPLE })
  avatarThumbUrl?: string;
}
