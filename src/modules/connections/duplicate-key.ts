/** MongoDB and FerretDB both report a unique-index violation as error code 11000. */
export function isDuplicateKey(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 11000;
}
