import type { AudienceMode } from './schemas/status.schema.js';

export interface AudienceSetting {
  mode: AudienceMode;
  userIds: readonly string[];
}

export const DEFAULT_AUDIENCE: AudienceSetting = { mode: 'contacts', userIds: [] };
export const MAX_AUDIENCE_LIST = 1000;
export const MAX_STATUS_TEXT = 700;
export const MAX_CAPTION = 1024;
export const STATUS_FONTS = ['sans', 'serif', 'mono', 'script', 'display'] as const;
export type StatusFont = (typeof STATUS_FONTS)[number];

/**
 * The audience of a status, chosen from the poster's connections at posting time (as WhatsApp does:
 * "My contacts", "My contacts except...", "Only share with..."). Ids in the list that are not connections
 * are ignored, so an only-list can never reach a stranger.
 */
export function resolveAudience(contacts: readonly string[], setting: AudienceSetting): string[] {
  const listed = new Set(setting.userIds);
  switch (setting.mode) {
    case 'contacts':
      return [...new Set(contacts)];
    case 'contacts_except':
      return [...new Set(contacts)].filter((id) => !listed.has(id));
    case 'only':
      return [...new Set(contacts)].filter((id) => listed.has(id));
  }
}

export interface FeedAuthor<S> {
  authorId: string;
  muted: boolean;
  hasUnseen: boolean;
  latestAt: Date;
  statuses: S[];
}

/**
 * Feed order: authors with unseen statuses first, then those all seen, muted authors last; within each
 * group the most recent poster first, ties by id so the order is stable.
 */
export function orderFeed<S>(authors: FeedAuthor<S>[]): FeedAuthor<S>[] {
  const rank = (a: FeedAuthor<S>): number => (a.muted ? 2 : a.hasUnseen ? 0 : 1);
  return [...authors].sort(
    (x, y) => rank(x) - rank(y) || y.latestAt.getTime() - x.latestAt.getTime() || x.authorId.localeCompare(y.authorId),
  );
}

/** Read receipts are reciprocal: the author sees a view only when both the author and the viewer have them on. */
export function showsView(authorReceipts: boolean, viewerReceipts: boolean): boolean {
  return authorReceipts && viewerReceipts;
}
