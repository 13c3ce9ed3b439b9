import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, ValidateIf } from 'class-validator';
import { type Audience, AUDIENCES } from '../privacy.js';

const described = {
  lastSeen: 'Who sees when I was last online',
  photo: 'Who sees my profile photo',
  about: 'Who sees my about line',
};

export class PrivacySettingsDto {
  @ApiProperty({ enum: AUDIENCES, description: described.lastSeen, example: 'contacts' })
  lastSeen!: Audience;

  @ApiProperty({ enum: AUDIENCES, description: described.photo, example: 'everyone' })
  photo!: Audience;

  @ApiProperty({ enum: AUDIENCES, description: described.about, example: 'nobody' })
  about!: Audience;
}

/** Any subset of the three settings; `contacts` means my connections. */
export class UpdatePrivacyDto {
  @ApiPropertyOptional({ enum: AUDIENCES, description: described.lastSeen, example: 'contacts' })
  @ValidateIf((o: UpdatePrivacyDto) => o.lastSeen !== undefined)
  @IsIn(AUDIENCES)
  lastSeen?: Audience;

  @ApiPropertyOptional({ enum: AUDIENCES, description: described.photo, example: 'contacts' })
  @ValidateIf((o: UpdatePrivacyDto) => o.photo !== undefined)
  @IsIn(AUDIENCES)
  photo?: Audience;

  @ApiPropertyOptional({ enum: AUDIENCES, description: described.about, example: 'nobody' })
  @ValidateIf((o: UpdatePrivacyDto) => o.about !== undefined)
  @IsIn(AUDIENCES)
  about?: Audience;
}
