import { errorExample } from '@app/common';

/** Error examples shared by the chat controllers' Swagger docs. */
export const CHAT_NOT_FOUND = {
  description: 'No such chat, or the caller is not a participant (never 403: chat ids are not confirmed)',
  ...errorExample(404, 'chat_not_found', 'Chat not found'),
};
export const MESSAGE_NOT_FOUND = {
  description: 'No such chat or message for the caller (also: deleted for me)',
  ...errorExample(404, 'message_not_found', 'Message not found'),
};
export const NOT_CONNECTED = {
  description: 'The participants are no longer connected, or one blocks the other',
  ...errorExample(403, 'not_connected', 'You can only chat with your connections (and neither of you may block the other)'),
};
export const BAD_REQUEST = {
  description: 'Invalid id, body or query (`validation_failed`, `invalid_reply`, `invalid_cursor`, `invalid_peer`, `invalid_attachments`)',
  ...errorExample(400, 'validation_failed', 'text: text must be 1-4096 characters after trimming'),
};
