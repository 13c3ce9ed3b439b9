import { ApiProperty } from '@nestjs/swagger';
import { IsBoolean } from 'class-validator';
import { IsObjectIdField } from '@app/common';

/** connection:respond: the receiver accepts or rejects a pending request. */
export class SocketRespondDto {
  @IsObjectIdField('The pending request sent to me')
  requestId!: string;

  @ApiProperty({ description: 'true accepts (we become connected), false rejects', example: true })
  @IsBoolean()
  accept!: boolean;
}
