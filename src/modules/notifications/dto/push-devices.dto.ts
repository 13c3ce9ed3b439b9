import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, MaxLength, MinLength, ValidateIf, ValidateNested } from 'class-validator';
import { PUSH_PLATFORMS, type PushPlatform } from '../schemas/push-device.schema.js';

export class PushSubscriptionKeysDto {
  @Matches(/^[A-Za-z0-9_-]{86,88}={0,2}$/, { message: 'p256dh must be a URL-safe base64 P-256 public key' })
  @ApiProperty({ description: 'Client public key (URL-safe base64, 65 bytes)' })
  p256dh!: string;

  @Matches(/^[A-Za-z0-9_-]{22}={0,2}$/, { message: 'auth must be a URL-safe base64 16-byte secret' })
  @ApiProperty({ description: 'Auth secret (URL-safe base64, 16 bytes)' })
  auth!: string;
}

/** Exactly what a browser's PushSubscription.toJSON() gives. */
export class PushSubscriptionDto {
  @IsUrl({ protocols: ['https'], require_protocol: true, require_tld: false })
  @MaxLength(2048)
  @ApiProperty({ example: 'https://fcm.googleapis.com/fcm/send/abc...' })
  endpoint!: string;

  @ValidateIf((_, v) => v !== null)
  @IsInt()
  @ApiProperty({ type: 'integer', nullable: true, description: 'When the subscription expires (ms since epoch), or null' })
  expirationTime!: number | null;

  @ValidateNested()
  @Type(() => PushSubscriptionKeysDto)
  @ApiProperty({ type: PushSubscriptionKeysDto })
  keys!: PushSubscriptionKeysDto;
}

export class RegisterPushDeviceDto {
  @IsIn(PUSH_PLATFORMS)
  @ApiProperty({ enum: PUSH_PLATFORMS })
  platform!: PushPlatform;

  @IsOptional()
  @IsString()
  @MinLength(8)
  @MaxLength(4096)
  @ApiPropertyOptional({ description: 'FCM registration token or APNs device token (fcm, apns, apns-voip)' })
  token?: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => PushSubscriptionDto)
  @ApiPropertyOptional({ type: PushSubscriptionDto, description: 'web: PushSubscription.toJSON()' })
  subscription?: PushSubscriptionDto;
}

export class PushDeviceDto {
  @ApiProperty({ example: '665f1c2b9a1e4d3f2a1b0c9d' })
  id!: string;

  @ApiProperty({ enum: PUSH_PLATFORMS })
  platform!: PushPlatform;

  @ApiProperty({ type: String, nullable: true, description: 'web: origin of the push service' })
  endpointOrigin!: string | null;

  @ApiProperty({ type: 'integer', nullable: true })
  expirationTime!: number | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

export class PushDeviceListDto {
  @ApiProperty({ type: [PushDeviceDto] })
  items!: PushDeviceDto[];
}

export class VapidKeyDto {
  @ApiProperty({ description: 'applicationServerKey for PushManager.subscribe (URL-safe base64)' })
  publicKey!: string;
}
