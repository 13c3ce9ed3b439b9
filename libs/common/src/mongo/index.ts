export { DUPLICATE_KEY, isDuplicateKey, nativeCollection, newObjectId, oid, type Stored, storeOnce } from './mongo.js';
