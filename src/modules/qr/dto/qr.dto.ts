import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

export class QrFormatQueryDto {
  @ApiPropertyOptional({ enum: ['png', 'svg'], default: 'png', description: 'png: a PNG data URL; svg: an SVG document' })
  @IsOptional()
  @IsIn(['png', 'svg'])
  format: 'png' | 'svg' = 'png';
}

export class QrCodeDto {
  @ApiProperty({ example: 'q3X0b5sT1bV8m2yq9J4Qm3o0fU1kqg7cH2tN5oWm3Lc', description: 'Single use; also encoded in the image' })
  token!: string;

  @ApiProperty({ example: '2025-01-31T10:02:00.000Z', description: 'QR_TTL_SECONDS after creation' })
  expiresAt!: string;

  @ApiProperty({
    example: 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAA...',
    description: 'The QR image of messaging://connect?token=<token>: a PNG data URL, or SVG markup with ?format=svg',
  })
  qr!: string;
}

export class ScanQrDto {
  @ApiProperty({ example: 'q3X0b5sT1bV8m2yq9J4Qm3o0fU1kqg7cH2tN5oWm3Lc', description: 'The token read from the QR code' })
  @IsString()
  @MaxLength(200)
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'token must be the URL-safe token from a QR code' })
  token!: string;
}
