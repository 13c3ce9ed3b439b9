/**
 * Who is connected to whom, as other modules need to know it (profile privacy "contacts", presence
 * fan-out, chat and call permission). Bound globally by the connections module to its service; an
 * abstract class in libs so that profile and presence need not import the connections module (which
 * itself uses profiles): no module cycle.
 */
export abstract class ContactDirectory {
  /** True when the two are connected and neither blocks the other: they may chat, call, see presence. */
  abstract canInteract(a: string, b: string): Promise<boolean>;
  /** The user's connections (neither side blocking), as user ids. */
  abstract contactIdsOf(userId: string): Promise<string[]>;
  /** True when either user blocks the other. */
  abstract isBlockedEitherWay(a: string, b: string): Promise<boolean>;
}
