import { deflateSync, crc32 } from 'node:zlib';
import sharp from 'sharp';

/** A landscape JPEG carrying EXIF (camera, GPS position, orientation "rotate 90°") and an XMP packet. */
export function jpegWithGps(): Promise<Buffer> {
  return sharp({ create: { width: 1200, height: 800, channels: 3, background: { r: 200, g: 40, b: 40 } } })
    .jpeg({ quality: 90 })
    .withExif({
      IFD0: { Make: 'SpyCam', Model: 'Leaky 3000', Copyright: 'secret-owner' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '48/1 51/1 2964/100', GPSLongitudeRef: 'E', GPSLongitude: '2/1 21/1 702/100' },
    })
    .withMetadata({ orientation: 6 })
    .withXmp(
      '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>secret-owner</dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>',
    )
    .toBuffer();
}

export function png(width = 300, height = 200): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 4, background: { r: 10, g: 120, b: 200, alpha: 1 } } })
    .png()
    .toBuffer();
}

export function smallJpeg(): Promise<Buffer> {
  return sharp({ create: { width: 64, height: 64, channels: 3, background: { r: 0, g: 0, b: 0 } } })
    .jpeg()
    .toBuffer();
}

/**
 * A decompression bomb: a valid PNG of a few hundred bytes whose header declares width x height
 * (30000 x 30000 = 900 megapixels, about 2.7 GB once decoded), with one row of compressed data.
 */
export function pngDeclaring(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer): Buffer => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // truecolour RGB
  const oneRow = deflateSync(Buffer.alloc(1 + width * 3));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', oneRow),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Chunk types of a PNG, in order (to show no tEXt/iTXt/eXIf/iCCP block survived). */
export function pngChunks(data: Buffer): string[] {
  const types: string[] = [];
  for (let at = 8; at + 8 <= data.length;) {
    const length = data.readUInt32BE(at);
    types.push(data.toString('ascii', at + 4, at + 8));
    at += 12 + length;
  }
  return types;
}

/** JPEG marker segments before the image data (APP1 = EXIF/XMP, COM = comment, APP2 = ICC...). */
export function jpegMarkers(data: Buffer): string[] {
  const markers: string[] = [];
  for (let at = 2; at + 4 <= data.length;) {
    if (data[at] !== 0xff) break;
    const marker = data[at + 1];
    markers.push(marker.toString(16).toUpperCase());
    if (marker === 0xda) break; // start of scan: image data follows
    at += 2 + data.readUInt16BE(at + 2);
  }
  return markers;
}

/** Tags of IFD0 in an EXIF block as sharp returns it ("Exif\0\0" + TIFF); 0x8825 points to the GPS IFD. */
export function exifIfd0Tags(exif: Buffer): number[] {
  const tiff = exif.subarray(6);
  const le = tiff.toString('ascii', 0, 2) === 'II';
  const u16 = (at: number): number => (le ? tiff.readUInt16LE(at) : tiff.readUInt16BE(at));
  const u32 = (at: number): number => (le ? tiff.readUInt32LE(at) : tiff.readUInt32BE(at));
  const ifd = u32(4);
  return Array.from({ length: u16(ifd) }, (_, i) => u16(ifd + 2 + i * 12));
}
