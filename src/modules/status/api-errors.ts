import { errorExample } from '@app/common';

/** Error examples shared by the status controllers' Swagger docs. */
export const STATUS_NOT_FOUND = {
  description:
    'No such status, expired, not shared with me, or its author and I are no longer connected (or one blocks the other): ' +
    'always the same 404, so an excluded viewer cannot tell a status exists',
  ...errorExample(404, 'status_not_found', 'Status not found'),
};
export const BAD_REQUEST = {
  description: 'Invalid id or body (`validation_failed`, `invalid_id`, `invalid_status`, `invalid_media`)',
  ...errorExample(400, 'validation_failed', 'text: text must be longer than or equal to 1 characters'),
};
export const UNAVAILABLE = {
  description: 'Photo/video statuses or replies need the media or chat module, which this deployment does not run',
  ...errorExample(503, 'media_unavailable', 'Photo and video statuses are not available'),
};
