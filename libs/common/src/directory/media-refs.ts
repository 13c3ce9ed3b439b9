/**
 * The references MediaDirectory.attach/detach take. A message ref names its chat so the media
 * module can tell, without importing chat, who may see media attached to it: chat ids follow from
 * the two participants' ids, so `viewer` participates when chatIdFor(owner, viewer) is the ref's chat.
 */
export function messageMediaRef(chatId: string, messageId: string): string {
  return `message:${chatId}:${messageId}`;
}

export function statusMediaRef(statusId: string): string {
  return `status:${statusId}`;
}

const MESSAGE_REF = /^message:([0-9a-f]{24}):([0-9a-f]{24})$/;
// Map keys in a document: no dots, no leading `$` (they would become paths or operators).
const ANY_REF = /^[a-z]+:[A-Za-z0-9:_-]{1,200}$/;

export function isMediaRef(value: string): boolean {
  return ANY_REF.test(value);
}

/** The chat of a message ref, else null (status refs, or a ref of another shape). */
export function chatIdOfMediaRef(ref: string): string | null {
  return MESSAGE_REF.exec(ref)?.[1] ?? null;
}
