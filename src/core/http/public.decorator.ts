// Moved to libs/common (the storage lib's file route needs it too); kept so existing imports keep working.
export { IS_PUBLIC, Public } from '@app/common';
