import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { MeDto } from '../../users/index.js';

export class RequestOtpDto {
  @ApiProperty({
    description:
      'A phone number (E.164 such as `+447400123456`, or national format such as `07400 123456` with `country`) ' +
      'or an email address such as `ada@example.com`',
    example: '+447400123456',
    maxLength: 254,
  })
  @IsString()
  @MinLength(3)
  @MaxLength(254)
  identifier!: string;

  @ApiPropertyOptional({ description: 'ISO 3166-1 alpha-2 country of a nationally formatted number', example: 'GB' })
  @IsOptional()
  @Matches(/^[A-Za-z]{2}$/, { message: 'country must be a two-letter ISO country code' })
  country?: string;
}

export class OtpRequestedDto {
  @ApiProperty({ example: 'If the identifier can receive codes, one is on its way' })
  message!: string;

  @ApiProperty({ example: 300 })
  expiresInSeconds!: number;

  @ApiProperty({ example: 60 })
  resendAfterSeconds!: number;
}

export class VerifyOtpDto extends RequestOtpDto {
  @ApiProperty({ example: '042917', pattern: '^\\d{6}$' })
  @Matches(/^\d{6}$/, { message: 'code must be 6 digits' })
  code!: string;

  @ApiPropertyOptional({ example: 'Pixel 8', maxLength: 100, description: 'Shown in the sessions list' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  deviceName?: string;
}

export class TokensDto {
  @ApiProperty({ example: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9...', description: 'Bearer access token (JWT), short-lived' })
  accessToken!: string;

  @ApiProperty({ example: 'rt_Qm9vbXNoYWthbGFrYS1yZWZyZXNoLXRva2VuLWV4YW1wbGU', description: 'Single use: each refresh returns a new one' })
  refreshToken!: string;
}

export class SignedInDto extends TokensDto {
  @ApiProperty({ type: MeDto })
  user!: MeDto;

  @ApiProperty({ example: true, description: 'True when this sign-in created the account' })
  isNewUser!: boolean;
}

export class RefreshDto {
  @ApiProperty({ example: 'rt_Qm9vbXNoYWthbGFrYS1yZWZyZXNoLXRva2VuLWV4YW1wbGU' })
  @IsString()
  @MinLength(10)
  @MaxLength(200)
  refreshToken!: string;
}

export class LinkIdentifierDto {
  @ApiProperty({ example: 'ada@example.com', description: 'The phone or email to add to the signed-in account' })
  @IsString()
  @MinLength(3)
  @MaxLength(254)
  identifier!: string;

  @ApiPropertyOptional({ example: 'GB' })
  @IsOptional()
  @Matches(/^[A-Za-z]{2}$/, { message: 'country must be a two-letter ISO country code' })
  country?: string;
}

export class VerifyLinkDto extends LinkIdentifierDto {
  @ApiProperty({ example: '042917' })
  @Matches(/^\d{6}$/, { message: 'code must be 6 digits' })
  code!: string;
}

export class CountryDto {
  @ApiProperty({ example: 'GB' })
  code!: string;

  @ApiProperty({ example: 'United Kingdom' })
  name!: string;

  @ApiProperty({ example: '+44' })
  callingCode!: string;

  @ApiProperty({ example: '+44 7400 123456', nullable: true, type: String })
  example!: string | null;
}
