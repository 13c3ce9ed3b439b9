import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';

/** qr:watch: the image format of the codes pushed to this socket. */
export class SocketQrWatchDto {
  @ApiPropertyOptional({ enum: ['png', 'svg'], default: 'png', description: 'png: a PNG data URL; svg: an SVG document' })
  @IsOptional()
  @IsIn(['png', 'svg'])
  format?: 'png' | 'svg';
}
