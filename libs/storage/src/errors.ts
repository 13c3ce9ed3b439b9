import { HttpStatus } from '@nestjs/common';
import { AppError } from '@app/common';

export class StorageObjectNotFound extends AppError {
  constructor(readonly key: string) {
    super(HttpStatus.NOT_FOUND, 'storage_object_not_found', 'No such stored object');
  }
}

/** The backing service failed or refused; `cause` keeps the driver's error for the logs only. */
export class StorageUnavailable extends AppError {
  constructor(operation: string, cause?: unknown) {
    super(HttpStatus.SERVICE_UNAVAILABLE, 'storage_unavailable', `Storage is unavailable (${operation})`);
    if (cause !== undefined) this.cause = cause;
  }
}
