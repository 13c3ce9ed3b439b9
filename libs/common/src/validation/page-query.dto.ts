import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

/** `?limit=&cursor=` of every cursor-paginated list with the default page rules (1-100, 20). */
export class PageQueryDto {
  @ApiPropertyOptional({ type: Number, minimum: 1, maximum: 100, default: 20, example: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit: number = 20;

  @ApiPropertyOptional({
    description: 'nextCursor of the previous page; omit for the first page',
    example: 'MTczODMxNzYwMDAwMDo2NjVmMWMyYjlhMWU0ZDNmMmExYjBjOWQ',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  cursor?: string;
}
