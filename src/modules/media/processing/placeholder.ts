import sharp from 'sharp';
import { rgbaToThumbHash } from 'thumbhash';

/** A thumbhash (base64) of an image: ~25 bytes a client can render as a blurred preview at once. */
export async function thumbhashOf(input: string | Buffer): Promise<string> {
  const { data, info } = await sharp(input, { limitInputPixels: 100_000_000 })
    .resize(100, 100, { fit: 'inside' })
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return Buffer.from(rgbaToThumbHash(info.width, info.height, data)).toString('base64');
}
