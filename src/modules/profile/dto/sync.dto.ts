import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';

/** profile:sync: the cursor of the previous sync; absent on a device's first sync. */
export class SocketProfileSyncDto {
  @ApiPropertyOptional({ description: 'The `cursor` a previous profile:sync answered; absent: every contact' })
  @IsOptional()
  @IsString()
  @MaxLength(65_536)
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'since must be a cursor from profile:sync' })
  since?: string;
}
