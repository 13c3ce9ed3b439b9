/** Server-to-client events of the media module. */
export interface MediaServerEvents {
  /**
   * One of my uploads reached its final state in the worker (to every device of its owner). Ready:
   * the metadata; failed: `failureReason` (e.g. `undecodable`, `cancelled`). URLs come with the
   * message views (or GET /media/:id), never in this event.
   */
  'media:processed': {
    id: string;
    status: 'ready' | 'failed';
    kind: 'image' | 'video' | 'audio' | 'voice' | 'document';
    failureReason: string | null;
    mimeType: string;
    sizeBytes: number;
    width: number | null;
    height: number | null;
    durationMs: number | null;
    waveform: number[] | null;
    pageCount: number | null;
    placeholder: string | null;
  };
}
