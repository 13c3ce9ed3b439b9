import { ApiProperty } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';

/**
 * The signed URL's query, validated for shape only (the global pipe refuses any other key, e.g.
 * `signature[$gt]`, and any non-string value with a 400). Both stay optional: a missing value is a
 * wrong link like any other, answered 403 by the signature check (documented as required: every
 * URL the api hands out carries both).
 */
export class SignedFileQueryDto {
  @ApiProperty({ description: 'Unix time (seconds) the URL stops working', example: '1767225600' })
  @IsOptional()
  @IsString()
  expires?: string;

  @ApiProperty({ description: 'HMAC of the key and expiry', example: 'x0Y6wQ...' })
  @IsOptional()
  @IsString()
  signature?: string;
}
