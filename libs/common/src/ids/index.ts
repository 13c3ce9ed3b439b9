export { chatIdFor, messageIdFor } from './derived-ids.js';
export { ApiObjectIdParam, IsObjectIdField, isObjectId, ParseObjectIdPipe } from './object-id.js';
