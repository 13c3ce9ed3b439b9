/** Error examples shared by the chat controllers' Swagger docs. */
const error = (statusCode: number, error: string, code: string, message: string) => ({
  schema: { example: { statusCode, error, code, message, requestId: 'b1f0c3e2-1d2a-4c5b-9e8f-7a6b5c4d3e2f' } },
});

export const UNAUTHORIZED = {
  description: 'Missing, invalid or expired access token',
  ...error(401, 'Unauthorized', 'unauthorized', 'Unauthorized'),
};
export const CHAT_NOT_FOUND = {
  description: 'No such chat, or the caller is not a participant (never 403: chat ids are not confirmed)',
  ...error(404, 'Not Found', 'chat_not_found', 'Chat not found'),
};
export const MESSAGE_NOT_FOUND = {
  description: 'No such chat or message for the caller (also: deleted for me)',
  ...error(404, 'Not Found', 'message_not_found', 'Message not found'),
};
export const NOT_CONNECTED = {
  description: 'The participants are no longer connected, or one blocks the other',
  ...error(403, 'Forbidden', 'not_connected', 'You can only chat with your connections (and neither of you may block the other)'),
};
export const BAD_REQUEST = {
  description: 'Invalid id, body or query (`validation_failed`, `invalid_reply`, `invalid_cursor`, `invalid_peer`)',
  ...error(400, 'Bad Request', 'validation_failed', 'text: text must be 1-4096 characters after trimming'),
};
