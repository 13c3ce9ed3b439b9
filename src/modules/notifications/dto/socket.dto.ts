import { ArrayMaxSize, ArrayMinSize, Equals, IsArray, IsOptional, Matches } from 'class-validator';

/** `notification:read` payload: `{ ids }` or `{ all: true }`. */
export class SocketReadDto {
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @Matches(/^[0-9a-fA-F]{24}$/, { each: true, message: 'each value in ids must be a 24-character hex id' })
  ids?: string[];

  @IsOptional()
  @Equals(true)
  all?: true;
}
