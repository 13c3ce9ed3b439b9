export { IsObjectIdField, isObjectId, ParseObjectIdPipe } from './object-id.js';
