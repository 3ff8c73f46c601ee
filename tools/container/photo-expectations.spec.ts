import { describe, expect, it } from 'vitest';
import { expectationFor } from './photo-expectations.js';

describe('expectationFor', () => {
  it('wants the fox squirrel class for the squirrel, whatever its format', () => {
    for (const file of ['squirrel.jpg', 'squirrel.webp']) {
      const expectation = expectationFor(file);

      expect(expectation.matches('fox squirrel, eastern fox squirrel, Sciurus niger')).toBe(true);
      expect(expectation.matches('marmot')).toBe(false);
    }
  });

  it('wants exactly "tripod" for the camera photo', () => {
    const expectation = expectationFor('/fixtures/camera.png');

    expect(expectation.matches('tripod')).toBe(true);
    expect(expectation.matches('reflex camera')).toBe(false);
  });

  it('accepts any domestic cat class for Chelsea and nothing else', () => {
    const expectation = expectationFor('chelsea.png');

    expect(['Egyptian cat', 'tabby, tabby cat', 'tiger cat'].every(expectation.matches)).toBe(true);
    expect(expectation.matches('lynx, catamount')).toBe(false);
  });

  it('asks only for a non-empty label from a photo it does not know', () => {
    const expectation = expectationFor('harbour.jpg');

    expect(expectation.matches('breakwater, groin, groyne, mole, bulwark, seawall, jetty')).toBe(true);
    expect(expectation.matches('')).toBe(false);
  });
});
