import { Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ParseObjectIdPipe, PageQueryDto } from '@app/common';
import { type AuthUser, CurrentUser } from '../../core/http/current-user.decorator.js';
import { ApiErrors, ApiUnauthorized } from '@app/common';
import { ContactsService } from './contacts.service.js';
import { AcceptedDto, ContactPageDto } from './dto/contact.dto.js';
import { ConnectionRequestDto, ConnectionRequestPageDto, RequestListQueryDto } from './dto/request.dto.js';
import { RequestAnswers } from './request-answers.js';
import { RequestsService } from './requests.service.js';

const ID = { name: 'id', description: 'Request id', example: '6660a1b2c3d4e5f6a7b8c9d0' };
const NOT_FOUND: [number, string, string] = [404, 'request_not_found', 'Connection request not found'];
const NOT_PENDING: [number, string, string] = [409, 'request_not_pending', 'This request is already accepted'];
const EXPIRED: [number, string, string] = [410, 'request_expired', 'This request has expired'];
const INVALID_ID: [number, string, string] = [400, 'invalid_id', 'id must be a 24-character hex id'];

@ApiTags('connections')
@ApiUnauthorized()
@Controller('connections')
export class ConnectionsController {
  constructor(
    private readonly requests: RequestsService,
    private readonly contacts: ContactsService,
    private readonly answers: RequestAnswers,
  ) {}

  @Get()
  @ApiOperation({ summary: 'My contacts, newest first, with public profile (privacy applied) and presence; cursor-paginated' })
  @ApiOkResponse({ type: ContactPageDto })
  @ApiErrors([400, 'invalid_cursor', 'cursor is not one this API returned'])
  list(@CurrentUser() user: AuthUser, @Query() query: PageQueryDto): Promise<ContactPageDto> {
    return this.contacts.list(user.userId, query.limit, query.cursor);
  }

  @Get('requests')
  @ApiOperation({ summary: 'Pending connection requests sent to me (incoming) or by me (outgoing); expired ones are never listed' })
  @ApiOkResponse({ type: ConnectionRequestPageDto })
  @ApiErrors([400, 'invalid_cursor', 'cursor is not one this API returned'])
  requestsList(@CurrentUser() user: AuthUser, @Query() query: RequestListQueryDto): Promise<ConnectionRequestPageDto> {
    return this.requests.list(user.userId, query.direction, query.limit, query.cursor);
  }

  @Post('requests/:id/accept')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Accept a request sent to me: we become connected (both hear connection:accepted)',
    description: 'Only the receiver may accept. Accepting twice, even concurrently, creates the connection once; the second gets 409.',
  })
  @ApiParam(ID)
  @ApiOkResponse({ type: AcceptedDto })
  @ApiErrors(INVALID_ID, [403, 'not_receiver', 'Only the receiver of a request can accept or reject it'], NOT_FOUND, NOT_PENDING, EXPIRED)
  accept(@CurrentUser() user: AuthUser, @Param('id', ParseObjectIdPipe) id: string): Promise<AcceptedDto> {
    return this.answers.accept(user.userId, id);
  }

  @Post('requests/:id/reject')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Reject a request sent to me (the sender hears connection:rejected)' })
  @ApiParam(ID)
  @ApiOkResponse({ type: ConnectionRequestDto })
  @ApiErrors(INVALID_ID, [403, 'not_receiver', 'Only the receiver of a request can accept or reject it'], NOT_FOUND, NOT_PENDING, EXPIRED)
  reject(@CurrentUser() user: AuthUser, @Param('id', ParseObjectIdPipe) id: string): Promise<ConnectionRequestDto> {
    return this.answers.reject(user.userId, id);
  }

  @Delete('requests/:id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Cancel a request I sent' })
  @ApiParam(ID)
  @ApiNoContentResponse({ description: 'Cancelled' })
  @ApiErrors(
    INVALID_ID,
    [403, 'not_sender', 'Only the sender of a request can cancel it; the receiver rejects it'],
    NOT_FOUND,
    NOT_PENDING,
    EXPIRED,
  )
  cancel(@CurrentUser() user: AuthUser, @Param('id', ParseObjectIdPipe) id: string): Promise<void> {
    return this.requests.cancel(user.userId, id);
  }

  @Delete(':userId')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Remove a contact, for both of us (both hear connection:removed)' })
  @ApiParam({ name: 'userId', example: '665f1c2b9a1e4d3f2a1b0c9e' })
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiErrors(INVALID_ID, [404, 'not_connected', 'You are not connected to this user'])
  remove(@CurrentUser() user: AuthUser, @Param('userId', ParseObjectIdPipe) userId: string): Promise<void> {
    return this.contacts.remove(user.userId, userId);
  }
}
