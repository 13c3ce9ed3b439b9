import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches, MaxLength } from 'class-validator';

/** auth:refresh: a fresh access token of the socket's own session (from POST /auth/refresh). */
export class SocketRefreshDto {
  @ApiProperty({ description: 'A fresh access JWT of the same session', example: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9...' })
  @IsString()
  @MaxLength(4096)
  @Matches(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/, { message: 'accessToken must be a JWT' })
  accessToken!: string;
}
