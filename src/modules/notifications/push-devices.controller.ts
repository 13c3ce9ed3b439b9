import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiErrors, ApiUnauthorized } from '@app/common';
import { type AuthUser, CurrentUser } from '../../core/http/current-user.decorator.js';
import { PushDeviceDto, PushDeviceListDto, RegisterPushDeviceDto, VapidKeyDto } from './dto/push-devices.dto.js';
import { PushDevicesService } from './push-devices.service.js';

const DISABLED: [number, string, string] = [422, 'push_provider_disabled', 'Push platform apns is not configured on this server'];

@ApiTags('push')
@ApiUnauthorized()
@Controller('push')
export class PushDevicesController {
  constructor(private readonly devices: PushDevicesService) {}

  @Post('devices')
  @ApiOperation({
    summary: 'Register this device for pushes (idempotent per token / endpoint)',
    description:
      'web: `subscription` exactly as PushSubscription.toJSON() gives it (https endpoint on a public address); a new subscription ' +
      'from the same session replaces the previous one (the browser rotated it). fcm, apns, apns-voip: `token`.',
  })
  @ApiCreatedResponse({ type: PushDeviceDto, description: 'Registered' })
  @ApiOkResponse({ type: PushDeviceDto, description: 'Already registered (refreshed)' })
  @ApiErrors(
    [400, 'validation_failed', 'web devices give subscription (PushSubscription.toJSON()), not token'],
    [400, 'invalid_push_endpoint', 'Refused push endpoint: endpoint must not resolve to a loopback or private address'],
    DISABLED,
  )
  async register(
    @CurrentUser() user: AuthUser,
    @Body() dto: RegisterPushDeviceDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<PushDeviceDto> {
    const { device, created } = await this.devices.register(user, dto);
    res.status(created ? HttpStatus.CREATED : HttpStatus.OK);
    return device;
  }

  @Get('devices')
  @ApiOperation({ summary: 'My registered push devices' })
  @ApiOkResponse({ type: PushDeviceListDto })
  async list(@CurrentUser() user: AuthUser): Promise<PushDeviceListDto> {
    return { items: await this.devices.list(user.userId) };
  }

  @Delete('devices/:id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Stop pushes to one of my devices' })
  @ApiParam({ name: 'id', description: 'Device id', example: '665f1c2b9a1e4d3f2a1b0c9d' })
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiErrors([404, 'push_device_not_found', 'Push device not found'])
  remove(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<void> {
    return this.devices.remove(user.userId, id.toLowerCase());
  }

  @Get('vapid-public-key')
  @ApiOperation({ summary: 'The VAPID public key (applicationServerKey) for PushManager.subscribe' })
  @ApiOkResponse({ type: VapidKeyDto })
  @ApiErrors([404, 'push_provider_disabled', 'Web Push is not configured on this server'])
  vapidPublicKey(): VapidKeyDto {
    return { publicKey: this.devices.vapidPublicKey() };
  }
}
