import { randomBytes } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JPEG_START_OF_FRAME = Buffer.from([0xff, 0xc0]);
const JPEG_HUFFMAN_TABLE = Buffer.from([0xff, 0xc4]);

/** One PNG chunk with its length and a correct CRC, so a reader cannot refuse it for its checksum. */
function pngChunk(type: string, data: Buffer): Buffer {
  const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

/** A tiny, well-formed PNG (valid CRCs, an IEND) whose header declares `width`×`height` 8-bit RGB pixels. */
export function pngDeclaring(width: number, height: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // colour type RGB
  return Buffer.concat([
    PNG_SIGNATURE,
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(Buffer.alloc(1024))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The JPEG with its frame header changed to declare `width`×`height`: the pixels would not fit any memory. */
export function jpegDeclaring(jpeg: Buffer, width: number, height: number): Buffer {
  const bomb = Buffer.from(jpeg);
  const frame = bomb.indexOf(JPEG_START_OF_FRAME);
  // Marker (2), length (2), precision (1), then height and width.
  bomb.writeUInt16BE(height, frame + 5);
  bomb.writeUInt16BE(width, frame + 7);
  return bomb;
}

/** The JPEG with its first Huffman table's code counts overwritten: a decoder must give up, not guess. */
export function jpegWithBogusHuffmanTable(jpeg: Buffer): Buffer {
  const corrupt = Buffer.from(jpeg);
  const table = corrupt.indexOf(JPEG_HUFFMAN_TABLE);
  corrupt.fill(0xff, table + 5, table + 21);
  return corrupt;
}

/** The bytes with a run in the middle inverted (for a PNG: its chunk CRCs no longer match). */
export function withInvertedBytes(bytes: Buffer, start: number, end: number): Buffer {
  const corrupt = Buffer.from(bytes);
  for (let index = start; index < end; index++) corrupt[index] = corrupt[index]! ^ 0xff;
  return corrupt;
}

/**
 * A real photo-sized PNG of random noise stored uncompressed: 2400×2400 RGB is 17.3 MB, over the classifier's
 * MAX_IMAGE_BYTES (15 MiB) while its 5.8 megapixels are well under its pixel limit, so only the size refuses it.
 */
export function oversizePng(): Promise<Buffer> {
  const side = 2400;
  return sharp(randomBytes(side * side * 3), { raw: { width: side, height: side, channels: 3 } })
    .png({ compressionLevel: 0 })
    .toBuffer();
}

/** A 1×1 GIF: an image, but not a format the classifier takes. */
export const GIF_1X1 = Buffer.from('R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==', 'base64');
