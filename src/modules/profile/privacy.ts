/** Who may see a piece of a profile. `contacts` means connections (ContactDirectory.canInteract). */
export type Audience = 'everyone' | 'contacts' | 'nobody';
export const AUDIENCES: readonly Audience[] = ['everyone', 'contacts', 'nobody'];

export interface PrivacySettings {
  lastSeen: Audience;
  photo: Audience;
  about: Audience;
}

/** What a user who never changed a setting gets (WhatsApp's classic defaults). */
export const DEFAULT_PRIVACY: Readonly<PrivacySettings> = { lastSeen: 'everyone', photo: 'everyone', about: 'everyone' };

/** How the viewer stands to the owner. `blocked`: either blocks the other. */
export interface Relation {
  self: boolean;
  contact: boolean;
  blocked: boolean;
}

/** The owner sees everything; a block hides everything; otherwise the audience decides. */
export function mayView(audience: Audience, relation: Relation): boolean {
  if (relation.self) return true;
  if (relation.blocked) return false;
  if (audience === 'everyone') return true;
  return audience === 'contacts' && relation.contact;
}

export function withDefaults(stored: Partial<PrivacySettings> | null | undefined): PrivacySettings {
  return { ...DEFAULT_PRIVACY, ...(stored ?? {}) };
}
