import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageQueryDto } from '@app/common';

/** My call log, newest first: the common cursor page. */
export class CallLogQueryDto extends PageQueryDto {}

export class CallLogEntryDto {
  @ApiProperty({ example: '6660a1b2c3d4e5f6a7b8c9d0' })
  id!: string;

  @ApiProperty({ description: 'The other party', example: '665f1c2b9a1e4d3f2a1b0c9d' })
  peerId!: string;

  @ApiProperty({ enum: ['outgoing', 'incoming'] })
  direction!: 'outgoing' | 'incoming';

  @ApiProperty({ enum: ['audio', 'video'] })
  kind!: 'audio' | 'video';

  @ApiProperty({ enum: ['answered', 'missed', 'rejected', 'busy', 'cancelled', 'failed'] })
  outcome!: 'answered' | 'missed' | 'rejected' | 'busy' | 'cancelled' | 'failed';

  @ApiProperty({
    description: 'Why it ended (hangup reason): hangup, timeout, connection_lost, busy, or the client reason',
    example: 'user_hangup',
  })
  endReason!: string;

  @ApiProperty({ description: 'From answer to end, in ms; 0 when not answered', example: 192000 })
  durationMs!: number;

  @ApiProperty({ example: '2025-11-25T21:00:00.000Z' })
  startedAt!: string;

  @ApiProperty({ type: String, nullable: true, example: '2025-11-25T21:00:05.000Z' })
  answeredAt!: string | null;

  @ApiProperty({ example: '2025-11-25T21:03:17.000Z' })
  endedAt!: string;
}

export class CallLogPageDto {
  @ApiProperty({ type: [CallLogEntryDto] })
  items!: CallLogEntryDto[];

  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last page' })
  nextCursor!: string | null;
}

export class IceServerDto {
  @ApiProperty({ type: [String], example: ['turn:turn.example.com:3478?transport=udp', 'turns:turn.example.com:5349?transport=tcp'] })
  urls!: string[];

  @ApiPropertyOptional({ description: 'TURN only: `<expiry unix seconds>:<opaque id>`', example: '1764700000:Zm9vYmFyYmF6cXV4' })
  username?: string;

  @ApiPropertyOptional({ description: 'TURN only: base64(HMAC-SHA1(TURN_SECRET, username))', example: 'kJ0cH7mY2p3rR8x2bV4m1q9X0aE=' })
  credential?: string;
}

export class IceServersDto {
  @ApiProperty({ type: [IceServerDto], description: 'For RTCPeerConnection({ iceServers }): STUN entries, then TURN with credentials' })
  iceServers!: IceServerDto[];

  @ApiProperty({ description: 'Seconds the TURN credentials stay valid (fetch new ones before a call after that)', example: 86400 })
  ttl!: number;
}
