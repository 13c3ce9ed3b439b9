import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { IsObjectIdField } from '@app/common';

/** Hard ceilings of the DTOs; the configured caps (CALL_MAX_SDP_BYTES, CALL_MAX_CANDIDATES_PER_EVENT) are checked by the service. */
const SDP_MAX_CHARS = 65_536;
const CANDIDATES_MAX = 100;

function IsSdp(): PropertyDecorator {
  return applyDecorators(
    IsString(),
    MinLength(1),
    MaxLength(SDP_MAX_CHARS),
    ApiProperty({ description: 'Session description (RTCSessionDescription.sdp), at most CALL_MAX_SDP_BYTES', example: 'v=0\r\n...' }),
  );
}

/** A hangup/reject reason, as Matrix names them (`user_hangup`, `ice_failed`, `user_busy`...). */
function IsReason(): PropertyDecorator {
  return applyDecorators(
    IsOptional(),
    Matches(/^[a-z][a-z0-9_]{0,31}$/, { message: '$property must be 1-32 characters of a-z 0-9 _' }),
    ApiPropertyOptional({ description: 'Machine-readable reason, e.g. user_hangup, ice_failed', example: 'user_hangup' }),
  );
}

export class CallInviteDto {
  @IsObjectIdField('The user to call (a connection, neither blocking the other)')
  peerId!: string;

  @IsIn(['audio', 'video'])
  @ApiProperty({ enum: ['audio', 'video'] })
  kind!: 'audio' | 'video';

  @IsSdp()
  sdp!: string;
}

export class CallIdDto {
  @IsObjectIdField('The call')
  callId!: string;
}

export class CallAcceptDto extends CallIdDto {
  @IsSdp()
  sdp!: string;
}

export class CallRejectDto extends CallIdDto {
  @IsReason()
  reason?: string;
}

export class CallEndDto extends CallIdDto {
  @IsReason()
  reason?: string;
}

export class IceCandidateDto {
  @IsString()
  @MaxLength(2048)
  @ApiProperty({
    description: 'candidate-attribute; empty string = end of candidates',
    example: 'candidate:1 1 udp 2122260223 192.0.2.1 54400 typ host',
  })
  candidate!: string;

  @IsOptional()
  @IsString()
  @MaxLength(64)
  sdpMid?: string | null;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(63)
  sdpMLineIndex?: number | null;

  @IsOptional()
  @IsString()
  @MaxLength(256)
  usernameFragment?: string | null;
}

export class CallCandidatesDto extends CallIdDto {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(CANDIDATES_MAX)
  @ValidateNested({ each: true })
  @Type(() => IceCandidateDto)
  candidates!: IceCandidateDto[];
}

export class CallNegotiateDto extends CallIdDto {
  @IsIn(['offer', 'answer'])
  @ApiProperty({ enum: ['offer', 'answer'] })
  type!: 'offer' | 'answer';

  @IsSdp()
  sdp!: string;
}
