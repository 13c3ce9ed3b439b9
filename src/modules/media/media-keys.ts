/** What processing stores beside the original. */
export type MediaVariant = 'original' | 'main' | 'thumbnail' | 'preview';

/**
 * Deterministic object keys: a job that runs twice overwrites its own outputs instead of leaving a
 * second set behind, and the media id (an ObjectId, never user input) makes them unguessable enough
 * only together with a signed URL (the `media/` prefix is never served publicly).
 */
export function mediaObjectKey(ownerId: string, mediaId: string, variant: MediaVariant, ext: string): string {
  return `media/${ownerId}/${mediaId}-${variant}.${ext}`;
}
