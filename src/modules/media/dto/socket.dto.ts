import { IsObjectIdField } from '@app/common';

/** media:cancel: stop processing one of my own media. */
export class SocketMediaCancelDto {
  @IsObjectIdField('My media item still processing')
  id!: string;
}
