export { ApiObjectIdParam, IsObjectIdField, isObjectId, ParseObjectIdPipe } from './object-id.js';
