import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** What the signed-in user sees about their own account. */
export class MeDto {
  @ApiProperty({ example: '665f1c2b9a1e4d3f2a1b0c9d' })
  id!: string;

  @ApiProperty({ example: '+447400123456', nullable: true, type: String, description: 'E.164, or null when the account has no phone' })
  phone!: string | null;

  @ApiProperty({
    example: 'ada@example.com',
    nullable: true,
    type: String,
    description: 'Lower-cased, or null when the account has no email',
  })
  email!: string | null;

  @ApiProperty({ example: '2025-01-31T10:00:00.000Z' })
  createdAt!: string;
}

/**
 * What anyone signed in may see about a user: never their phone or email. The profile fields come
 * from ProfileService with the owner's privacy settings applied: hidden ones are absent.
 */
export class PublicUserDto {
  @ApiProperty({ example: '665f1c2b9a1e4d3f2a1b0c9d' })
  id!: string;

  @ApiProperty({ type: String, nullable: true, description: 'null until the user sets one', example: 'Ada Lovelace' })
  name?: string | null;

  @ApiPropertyOptional({ description: 'Absent when hidden from the viewer or unset', example: 'At the library' })
  about?: string;

  @ApiPropertyOptional({
    description: 'Absent when hidden from the viewer or unset',
    example: '/files/avatars/665f1c2b9a1e4d3f2a1b0c9d/Qk3vX1o2b9cA8dLm4nP0rw.jpg',
  })
  avatarUrl?: string;

  @ApiPropertyOptional({
    description: 'Absent when hidden from the viewer or unset',
    example: '/files/avatars/665f1c2b9a1e4d3f2a1b0c9d/8dLm4nP0rwQk3vX1o2b9cA.jpg',
  })
  avatarThumbUrl?: string;
}
