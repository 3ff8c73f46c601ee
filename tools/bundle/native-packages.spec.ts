import { describe, expect, it } from 'vitest';
import { nativePackagesImported } from './native-packages.js';

describe('nativePackagesImported', () => {
  it('finds sharp among a bundle’s external imports, by name or subpath', () => {
    expect(nativePackagesImported(['node:fs', 'sharp', '@nestjs/microservices'])).toEqual(['sharp']);
    expect(nativePackagesImported(['sharp/lib/index.js'])).toEqual(['sharp']);
  });

  it('finds none when the bundle imports only built-ins and optional integrations', () => {
    expect(nativePackagesImported(['node:fs', '@fastify/static', 'sharpish'])).toEqual([]);
  });
});
