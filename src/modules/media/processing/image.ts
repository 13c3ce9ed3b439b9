import sharp, { type Sharp } from 'sharp';
import { thumbhashOf } from './placeholder.js';
import { ToolFailure } from './run-tool.js';

export interface ImageOutput {
  main: { data: Buffer; contentType: string; ext: string };
  thumbnail: { data: Buffer; contentType: string; ext: string };
  width: number;
  height: number;
  placeholder: string;
}

const MAX_INPUT_PIXELS = 100_000_000;
const THUMB_SIDE = 320;

/**
 * Decodes and encodes afresh: oriented by its EXIF tag, then every metadata block dropped (sharp
 * writes none unless asked: EXIF and its GPS, XMP, IPTC, ICC, comments), the longest side capped.
 * JPEG stays JPEG; anything else becomes WebP (alpha kept; a GIF keeps its first frame).
 */
export async function processImage(path: string, mime: string, maxSide: number): Promise<ImageOutput> {
  const source = sharp(path, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error', autoOrient: true });
  try {
    const resized = source.clone().resize(maxSide, maxSide, { fit: 'inside', withoutEnlargement: true });
    const jpeg = mime === 'image/jpeg';
    const { data, info } = await encode(resized, jpeg).toBuffer({ resolveWithObject: true });
    const thumb = await source
      .clone()
      .resize(THUMB_SIDE, THUMB_SIDE, { fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 70 })
      .toBuffer();
    return {
      main: { data, contentType: jpeg ? 'image/jpeg' : 'image/webp', ext: jpeg ? 'jpg' : 'webp' },
      thumbnail: { data: thumb, contentType: 'image/webp', ext: 'webp' },
      width: info.width,
      height: info.height,
      placeholder: await thumbhashOf(thumb),
    };
  } catch (err) {
    throw new ToolFailure('undecodable', `image: ${(err as Error).message}`);
  }
}

function encode(pipeline: Sharp, jpeg: boolean): Sharp {
  return jpeg ? pipeline.jpeg({ quality: 82, mozjpeg: true }) : pipeline.webp({ quality: 80 });
}
