import { InvalidInputError } from '@app/errors';
import { describe, expect, it } from 'vitest';
import { checkPhoto, detectPhotoType, isPhotoUpload } from './photo-upload.js';

const JPEG = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46]);
const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]);
const WEBP = new Uint8Array([...Buffer.from('RIFF'), 0x24, 0x00, 0x00, 0x00, ...Buffer.from('WEBPVP8 ')]);

describe('detectPhotoType', () => {
  it.each([
    ['a JPEG', JPEG, 'image/jpeg'],
    ['a PNG', PNG, 'image/png'],
    ['a WebP', WEBP, 'image/webp'],
    [
      'a RIFF file that is no WebP (a WAV)',
      new Uint8Array([...Buffer.from('RIFF'), 0, 0, 0, 0, ...Buffer.from('WAVE')]),
      undefined,
    ],
    ['a GIF', new Uint8Array(Buffer.from('GIF89a')), undefined],
    ['HTML', new Uint8Array(Buffer.from('<!doctype html>')), undefined],
    ['two bytes of a JPEG', JPEG.subarray(0, 2), undefined],
    ['nothing', new Uint8Array(0), undefined],
  ])('reads %s by its magic bytes', (_what, bytes, type) => {
    expect(detectPhotoType(bytes)).toBe(type);
  });
});

describe('checkPhoto', () => {
  it('returns the type when bytes, Content-Type and the bound type agree', () => {
    expect(checkPhoto(JPEG, 'image/jpeg', 'image/jpeg')).toBe('image/jpeg');
    expect(checkPhoto(PNG, 'IMAGE/PNG; charset=binary', undefined)).toBe('image/png');
  });

  it.each([
    ['no body', undefined, 'image/jpeg', undefined, 'The photo is empty'],
    ['an empty body', new Uint8Array(0), 'image/jpeg', undefined, 'The photo is empty'],
    [
      'HTML sent as a JPEG',
      new Uint8Array(Buffer.from('<html>')),
      'image/jpeg',
      undefined,
      'The photo is not a JPEG, PNG or WebP image',
    ],
    ['a PNG sent as a JPEG', PNG, 'image/jpeg', undefined, 'The photo is image/png, but was sent as image/jpeg'],
    [
      'a PNG for an image created for a JPEG',
      PNG,
      'image/png',
      'image/jpeg',
      'This image was created for an image/jpeg photo, not image/png',
    ],
  ] as const)('refuses %s', (_what, bytes, declared, bound, message) => {
    expect(() => checkPhoto(bytes, declared, bound)).toThrow(new InvalidInputError(message));
  });
});

describe('isPhotoUpload', () => {
  it('matches PUT /images/{imageId}/photo only', () => {
    expect(isPhotoUpload('PUT', '/images/5b2e4c1a-9d3f-4e6a-8b7c-1d2e3f4a5b6c/photo')).toBe(true);
    expect(isPhotoUpload('POST', '/images/5b2e4c1a-9d3f-4e6a-8b7c-1d2e3f4a5b6c/photo')).toBe(false);
    expect(isPhotoUpload('PUT', '/groups/x/photo')).toBe(false);
    expect(isPhotoUpload('PUT', '/images/x/photo/more')).toBe(false);
  });
});
