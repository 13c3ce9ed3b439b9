import { chatIdOfMediaRef, chatIdFor } from '@app/common';
// A pure function of two user ids; the media module needs it to check participants without chat's data.

/**
 * Who may see a media item: its owner, and the other participant of any chat the owner attached it
 * to (refs `message:<chatId>:<messageId>`; the chat of owner and viewer has the id chatIdFor(owner,
 * viewer)). Status audiences get URLs through the status views, not through this rule.
 */
export function mayViewMedia(media: { ownerId: string; refs: readonly string[] }, viewerId: string): boolean {
  if (media.ownerId === viewerId) return true;
  const shared = chatIdFor(media.ownerId, viewerId);
  return media.refs.some((ref) => chatIdOfMediaRef(ref) === shared);
}
