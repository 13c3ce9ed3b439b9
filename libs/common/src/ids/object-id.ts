import { BadRequestException, Injectable, type PipeTransform } from '@nestjs/common';
import { applyDecorators } from '@nestjs/common';
import { ApiParam, ApiProperty } from '@nestjs/swagger';
import { ApiErrors } from '../errors/api-error-docs.js';
import { Matches } from 'class-validator';

const OBJECT_ID = /^[0-9a-f]{24}$/i;

export function isObjectId(value: unknown): value is string {
  return typeof value === 'string' && OBJECT_ID.test(value);
}

/** DTO field holding an ObjectId string; validated and documented in one place. */
export function IsObjectIdField(description: string): PropertyDecorator {
  return applyDecorators(
    Matches(OBJECT_ID, { message: '$property must be a 24-character hex id' }),
    ApiProperty({ description, example: '665f1c2b9a1e4d3f2a1b0c9d', pattern: OBJECT_ID.source }),
  );
}

/** Route-param pipe: `@Param('id', ParseObjectIdPipe) id: string` refuses anything but an ObjectId. */
@Injectable()
export class ParseObjectIdPipe implements PipeTransform<unknown, string> {
  transform(value: unknown): string {
    if (!isObjectId(value)) {
      throw new BadRequestException({ code: 'invalid_id', message: 'id must be a 24-character hex id' });
    }
    return value.toLowerCase();
  }
}

/** Swagger for a path parameter read with ParseObjectIdPipe: the id's shape and the 400 the pipe answers. */
export function ApiObjectIdParam(name: string, description?: string): MethodDecorator {
  return applyDecorators(
    ApiParam({ name, description, example: '665f1c2b9a1e4d3f2a1b0c9d', schema: { type: 'string', pattern: OBJECT_ID.source } }),
    ApiErrors([400, 'invalid_id', 'id must be a 24-character hex id']),
  );
}
