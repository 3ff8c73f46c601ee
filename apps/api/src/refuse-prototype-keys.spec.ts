import { BadRequestException } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { describe, expect, it, vi } from 'vitest';
import { prototypeKeyPaths, refusePrototypeKeys } from './refuse-prototype-keys.js';

/** What the middleware passes on for a body as express.json() would have parsed it. */
function nextFor(json: string): unknown {
  const next = vi.fn<(error?: unknown) => void>();
  refusePrototypeKeys({ body: JSON.parse(json) } as Request, {} as Response, next as NextFunction);
  expect(next).toHaveBeenCalledOnce();
  return next.mock.calls[0][0];
}

describe('prototypeKeyPaths', () => {
  it.each([
    ['a top-level __proto__', '{"name":"Cats","__proto__":{"polluted":true}}', ['__proto__']],
    ['a top-level constructor', '{"name":"Cats","constructor":{"prototype":{"polluted":true}}}', ['constructor']],
    ['a top-level prototype', '{"prototype":1}', ['prototype']],
    ['a nested __proto__', '{"name":"Cats","description":{"a":{"__proto__":{}}}}', ['description.a.__proto__']],
    ['a __proto__ inside an array', '[{"name":"Cats"},{"__proto__":null}]', ['1.__proto__']],
    ['an escaped __proto__ (JSON.parse unescapes it)', '{"\\u005f_proto__":{}}', ['__proto__']],
    ['every one of several, breadth first', '{"a":{"prototype":1},"constructor":2}', ['constructor', 'a.prototype']],
  ])('finds %s', (_what, json, paths) => {
    expect(prototypeKeyPaths(JSON.parse(json))).toEqual(paths);
  });

  it.each([
    ['an ordinary body', '{"name":"Cats","description":"A proto constructor prototype"}'],
    ['keys that only contain the words', '{"__proto__x":1,"constructors":2,"prototypes":{"Prototype":3}}'],
    ['a scalar', '"__proto__"'],
    ['null', 'null'],
  ])('finds nothing in %s', (_what, json) => {
    expect(prototypeKeyPaths(JSON.parse(json))).toEqual([]);
  });

  it('does not walk a Buffer (the photo route’s raw body)', () => {
    expect(prototypeKeyPaths(Buffer.from('{"__proto__":{}}'))).toEqual([]);
  });

  it('walks a body nested 10,000 deep without overflowing the stack', () => {
    const deep = `${'{"a":'.repeat(10_000)}{"__proto__":1}${'}'.repeat(10_000)}`;

    expect(prototypeKeyPaths(JSON.parse(deep))).toEqual([`${'a.'.repeat(10_000)}__proto__`]);
  });
});

describe('refusePrototypeKeys', () => {
  it('refuses a body with a prototype key as an unknown field is refused', () => {
    const error = nextFor('{"name":"Cats","__proto__":{"isAdmin":true},"x":{"constructor":{}}}');

    expect(error).toBeInstanceOf(BadRequestException);
    expect((error as BadRequestException).getResponse()).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'property __proto__ should not exist; property x.constructor should not exist',
    });
  });

  it('passes any other body on untouched', () => {
    expect(nextFor('{"name":"Cats"}')).toBeUndefined();
  });
});
