export { IsObjectIdField, isObjectId, ParseObjectIdPipe } from './object-id.js';
export { chatIdFor, messageIdFor } from './derived-ids.js';
