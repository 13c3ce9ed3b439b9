export { DUPLICATE_KEY, isDuplicateKey, nativeCollection, oid, type Stored, storeOnce } from './mongo.js';
