export interface PresenceView {
  online: boolean;
  /** ISO time; null when hidden by privacy or never seen. */
  lastSeen: string | null;
}

/**
 * Presence as the viewer may see it (privacy applied), for lists such as contacts and chats. Bound
 * globally by the presence module; abstract here so connections and chat need not import presence.
 */
export abstract class PresenceDirectory {
  /** Only ids the viewer may see presence of are in the map; others are absent. */
  abstract presenceFor(viewerId: string, userIds: readonly string[]): Promise<Map<string, PresenceView>>;
  /**
   * Whether any device (socket) of the user is connected to any api process right now, regardless of
   * privacy or the offline grace period: for deciding between a socket event and a push.
   */
  abstract hasConnectedDevice(userId: string): Promise<boolean>;
}
