import { describe, expect, it } from 'vitest';
import { LABEL_WORD_PATTERN, labelWords } from './label-words.js';

describe('labelWords', () => {
  it('makes every synonym of a label searchable as a whole word', () => {
    expect(labelWords(['dalmatian, coach dog, carriage dog'])).toEqual(['carriage', 'coach', 'dalmatian', 'dog']);
  });

  it('lower-cases, splits on punctuation and merges the words of all labels', () => {
    expect(labelWords(['fox squirrel, eastern fox squirrel, Sciurus niger', "jack-o'-lantern"])).toEqual([
      'eastern',
      'fox',
      'jack',
      'lantern',
      'niger',
      'o',
      'sciurus',
      'squirrel',
    ]);
  });

  it('accepts single words as search terms and refuses phrases and symbols', () => {
    expect(LABEL_WORD_PATTERN.test('squirrel')).toBe(true);
    expect(LABEL_WORD_PATTERN.test('Écureuil')).toBe(true);
    expect(LABEL_WORD_PATTERN.test('fox squirrel')).toBe(false);
    expect(LABEL_WORD_PATTERN.test('dog*')).toBe(false);
  });
});
