import { HttpStatus } from '@nestjs/common';
import sharp, { type Metadata, type Sharp } from 'sharp';
import { AppError } from '@app/common';

/** Formats accepted for avatars, by MIME type as file-type detects them from the bytes. */
export const AVATAR_TYPES: ReadonlySet<string> = new Set(['image/jpeg', 'image/png', 'image/webp']);
/** Longest side of the stored avatar, and the side of its square thumbnail. */
export const AVATAR_MAX_SIDE = 640;
export const AVATAR_THUMB_SIDE = 96;

export interface EncodedImage {
  data: Buffer;
  width: number;
  height: number;
  contentType: string;
  ext: string;
}

const FORMATS: Record<string, { format: 'jpeg' | 'png' | 'webp'; ext: string }> = {
  'image/jpeg': { format: 'jpeg', ext: 'jpg' },
  'image/png': { format: 'png', ext: 'png' },
  'image/webp': { format: 'webp', ext: 'webp' },
};

/**
 * Decodes the upload and encodes it afresh in its own format: oriented by its EXIF tag, then every
 * metadata block dropped (sharp writes none unless asked: no EXIF, GPS, XMP, IPTC, ICC, comments or
 * text chunks), at most AVATAR_MAX_SIDE on the longest side, plus a square thumbnail.
 *
 * The pixel count is checked from the header before anything is decoded, and libvips enforces the
 * same limit while decoding, so a small file declaring 30000x30000 is refused without allocating it.
 */
export async function encodeAvatar(
  path: string,
  mime: string,
  maxInputPixels: number,
): Promise<{ main: EncodedImage; thumb: EncodedImage }> {
  const target = FORMATS[mime];
  if (!target)
    throw new AppError(HttpStatus.UNSUPPORTED_MEDIA_TYPE, 'unsupported_media_type', 'The file must be a JPEG, PNG or WebP image');
  let header: Metadata;
  try {
    header = await sharp(path, { limitInputPixels: false }).metadata();
  } catch (err) {
    throw unreadable(err);
  }
  if (!header.width || !header.height) throw unreadable();
  if (header.width * header.height > maxInputPixels) {
    throw new AppError(
      HttpStatus.UNPROCESSABLE_ENTITY,
      'image_too_large',
      `The image is ${header.width}x${header.height}; at most ${maxInputPixels} pixels are accepted`,
    );
  }
  const source = sharp(path, { limitInputPixels: maxInputPixels, failOn: 'error', autoOrient: true });
  try {
    const [main, thumb] = await Promise.all([
      encode(source.clone().resize(AVATAR_MAX_SIDE, AVATAR_MAX_SIDE, { fit: 'inside', withoutEnlargement: true }), target),
      encode(source.clone().resize(AVATAR_THUMB_SIDE, AVATAR_THUMB_SIDE, { fit: 'cover' }), target),
    ]);
    return { main, thumb };
  } catch (err) {
    throw unreadable(err);
  }
}

async function encode(pipeline: Sharp, target: { format: 'jpeg' | 'png' | 'webp'; ext: string }): Promise<EncodedImage> {
  const encoder =
    target.format === 'jpeg'
      ? pipeline.jpeg({ quality: 82, mozjpeg: true })
      : target.format === 'png'
        ? pipeline.png({ compressionLevel: 9 })
        : pipeline.webp({ quality: 80 });
  const { data, info } = await encoder.toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, contentType: `image/${target.format}`, ext: target.ext };
}

function unreadable(cause?: unknown): AppError {
  const error = new AppError(HttpStatus.UNPROCESSABLE_ENTITY, 'image_unreadable', 'The image could not be decoded');
  if (cause !== undefined) error.cause = cause;
  return error;
}
