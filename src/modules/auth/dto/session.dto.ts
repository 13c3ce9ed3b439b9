import { ApiProperty } from '@nestjs/swagger';

export class SessionDto {
  @ApiProperty({ example: '665f1c2b9a1e4d3f2a1b0c9d' })
  id!: string;

  @ApiProperty({ example: 'Pixel 8', nullable: true, type: String })
  deviceName!: string | null;

  @ApiProperty({ example: '2025-01-31T10:00:00.000Z' })
  createdAt!: string;

  @ApiProperty({ example: '2025-02-01T08:30:00.000Z', description: 'Last refresh or request, to within a minute' })
  lastUsedAt!: string;

  @ApiProperty({ example: true, description: 'The session of the access token making this request' })
  current!: boolean;
}
