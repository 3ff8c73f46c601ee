import { InvalidInputError } from '@app/errors';
import { IMAGE_CONTENT_TYPES, type ImageContentType } from './image.js';

/**
 * The largest photo `PUT /images/{imageId}/photo` takes: 4 MiB. In AWS the body reaches Lambda through API Gateway's
 * HTTP API, which base64-encodes binary bodies (4/3 larger: 4 MiB → 5.6 MB) inside a Lambda event whose synchronous
 * payload may be at most 6 MB; the HTTP API's own 10 MB limit is then never the one that bites. Larger photos (the
 * classifier takes up to 15 MiB) go to the presigned `uploadUrl`, straight to S3.
 */
export const PHOTO_UPLOAD_MAX_BYTES = 4 * 1024 * 1024;

/** The one route whose body is not JSON: the photo's bytes, typed by its Content-Type. */
const PHOTO_UPLOAD_PATH = /^\/images\/[^/]+\/photo\/?$/;

export function isPhotoUpload(method: string, path: string): boolean {
  return method === 'PUT' && PHOTO_UPLOAD_PATH.test(path);
}

export const PHOTO_CONTENT_TYPES = IMAGE_CONTENT_TYPES;

const JPEG = [0xff, 0xd8, 0xff];
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const RIFF = [0x52, 0x49, 0x46, 0x46];
const WEBP = [0x57, 0x45, 0x42, 0x50];

const startsWith = (bytes: Uint8Array, signature: number[], offset = 0) =>
  bytes.length >= offset + signature.length && signature.every((byte, index) => bytes[offset + index] === byte);

/** The photo's type by its magic bytes (its first bytes, as the classifier's decoders read them), or undefined. */
export function detectPhotoType(bytes: Uint8Array): ImageContentType | undefined {
  if (startsWith(bytes, JPEG)) return 'image/jpeg';
  if (startsWith(bytes, PNG)) return 'image/png';
  if (startsWith(bytes, RIFF) && startsWith(bytes, WEBP, 8)) return 'image/webp';
  return undefined;
}

/**
 * The type the photo is stored with, once its bytes, its Content-Type and the type the image was created for agree
 * (as an upload to the presigned URL must send the type the URL binds). Anything else is an InvalidInputError.
 */
export function checkPhoto(
  bytes: Uint8Array | undefined,
  declaredType: string | undefined,
  boundType: ImageContentType | undefined,
): ImageContentType {
  if (bytes === undefined || bytes.length === 0) throw new InvalidInputError('The photo is empty');
  const detected = detectPhotoType(bytes);
  if (detected === undefined) throw new InvalidInputError('The photo is not a JPEG, PNG or WebP image');
  const declared = declaredType?.split(';')[0]?.trim().toLowerCase();
  if (declared !== detected)
    throw new InvalidInputError(`The photo is ${detected}, but was sent as ${declared ?? 'no type'}`);
  if (boundType !== undefined && boundType !== detected) {
    throw new InvalidInputError(`This image was created for an ${boundType} photo, not ${detected}`);
  }
  return detected;
}
