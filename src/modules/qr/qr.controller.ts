import { Body, Controller, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type AuthUser, CurrentUser } from '../../core/http/current-user.decorator.js';
import { ConnectionRequestDto } from '../connections/index.js';
import { ApiErrors, ApiUnauthorized } from '@app/common';
import { QrCodeDto, QrFormatQueryDto, ScanQrDto } from './dto/qr.dto.js';
import { QrService } from './qr.service.js';

@ApiTags('qr')
@ApiUnauthorized()
@Controller('qr')
export class QrController {
  constructor(private readonly qr: QrService) {}

  @Post()
  @ApiOperation({
    summary: 'A new single-use connection QR code, valid QR_TTL_SECONDS (2 minutes)',
    description: 'Replaces my previous unused code (scanning it then answers 410 qr_replaced).',
  })
  @ApiCreatedResponse({ type: QrCodeDto })
  @ApiErrors([400, 'validation_failed', 'format must be one of the following values: png, svg'])
  create(@CurrentUser() user: AuthUser, @Query() query: QrFormatQueryDto): Promise<QrCodeDto> {
    return this.qr.create(user.userId, query.format);
  }

  @Post('scan')
  @ApiOperation({
    summary: "Scan someone's QR code: sends them a connection request (they hear connection:request)",
    description:
      'The token is consumed atomically: of any number of concurrent scans exactly one creates a request. ' +
      'A block between the two is answered like an unknown code.',
  })
  @ApiCreatedResponse({ type: ConnectionRequestDto })
  @ApiErrors(
    [400, 'qr_own_code', 'This is your own QR code'],
    [400, 'validation_failed', 'token must be the URL-safe token from a QR code'],
    [404, 'qr_not_found', 'Unknown QR code'],
    [409, 'qr_used', 'This QR code has already been used'],
    [409, 'already_connected', 'You are already connected to this user'],
    [409, 'request_pending', 'A connection request between you two is already pending'],
    [410, 'qr_expired', 'This QR code has expired'],
    [410, 'qr_replaced', 'This QR code was replaced by a newer one'],
  )
  scan(@CurrentUser() user: AuthUser, @Body() body: ScanQrDto): Promise<ConnectionRequestDto> {
    return this.qr.scan(user.userId, body.token);
  }
}
