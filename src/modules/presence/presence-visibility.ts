/** A privacy audience as the profile module stores it (`lastSeen` setting). */
export type Audience = 'everyone' | 'contacts' | 'nobody';

/**
 * Whether `viewer` may see `owner`'s last seen. Presence only ever reaches connections, so `contacts`
 * allows as much as `everyone`. Reciprocal, as WhatsApp does: whoever hides their own last seen sees
 * no one's. Online itself stays visible to connections (WhatsApp's default "online: everyone").
 */
export function showsLastSeen(owner: Audience | undefined, viewer: Audience | undefined): boolean {
  return (owner ?? 'everyone') !== 'nobody' && (viewer ?? 'everyone') !== 'nobody';
}
