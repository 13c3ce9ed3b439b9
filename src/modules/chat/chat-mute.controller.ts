import { Body, Controller, Delete, Param, Put } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiUnauthorized, ParseObjectIdPipe } from '@app/common';
import { type AuthUser, CurrentUser } from '../../core/http/current-user.decorator.js';
import { BAD_REQUEST, CHAT_NOT_FOUND } from './api-errors.js';
import { ChatMuteService } from './chat-mute.service.js';
import { ChatMuteDto, MuteChatDto } from './dto/mute.dto.js';

const CHAT_ID = { name: 'id', example: '665f1c2b9a1e4d3f2a1b0c9d', description: 'Chat id' };

@ApiTags('chats')
@ApiUnauthorized()
@ApiBadRequestResponse(BAD_REQUEST)
@Controller('chats/:id/mute')
export class ChatMuteController {
  constructor(private readonly mutes: ChatMuteService) {}

  @Put()
  @ApiOperation({
    summary: 'Mute a chat until a time or forever',
    description: 'A muted chat still counts unread messages (and the badge leaves it out), but its messages are not pushed.',
  })
  @ApiParam(CHAT_ID)
  @ApiOkResponse({ type: ChatMuteDto })
  @ApiNotFoundResponse(CHAT_NOT_FOUND)
  mute(@CurrentUser() user: AuthUser, @Param('id', ParseObjectIdPipe) id: string, @Body() dto: MuteChatDto): Promise<ChatMuteDto> {
    return this.mutes.mute(user.userId, id, dto);
  }

  @Delete()
  @ApiOperation({ summary: 'Unmute a chat' })
  @ApiParam(CHAT_ID)
  @ApiOkResponse({ type: ChatMuteDto })
  @ApiNotFoundResponse(CHAT_NOT_FOUND)
  unmute(@CurrentUser() user: AuthUser, @Param('id', ParseObjectIdPipe) id: string): Promise<ChatMuteDto> {
    return this.mutes.unmute(user.userId, id);
  }
}
