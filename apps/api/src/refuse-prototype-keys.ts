import { BadRequestException } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

/**
 * The keys through which a merge or a class-transformer copy of a parsed body reaches an object's prototype.
 * JSON.parse keeps `"__proto__"` as a plain own key; whatever later copies the body with `obj[key] = value` is what
 * turns it into a prototype change, so the body is refused before anything copies it.
 */
const PROTOTYPE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Express middleware, after the JSON parser: a body carrying a prototype key at any depth is a 400 whose message
 * reads like every other unknown field's ("property __proto__ should not exist", nested ones by their path).
 */
export function refusePrototypeKeys(request: Request, _response: Response, next: NextFunction): void {
  const paths = prototypeKeyPaths(request.body);
  if (paths.length > 0) {
    next(new BadRequestException(paths.map((path) => `property ${path} should not exist`).join('; ')));
    return;
  }
  next();
}

/**
 * The dotted paths of every prototype key in a parsed JSON value, in document order, breadth first. Without
 * recursion (the depth check runs first, but this walk must not overflow the stack whatever comes in).
 */
export function prototypeKeyPaths(value: unknown): string[] {
  const found: string[] = [];
  const pending: { value: unknown; path: string }[] = [{ value, path: '' }];
  for (let index = 0; index < pending.length; index++) {
    const { value: current, path } = pending[index];
    // JSON.parse makes only arrays and plain objects; the photo route's body is a Buffer, which is not walked.
    if (!Array.isArray(current) && !isPlainObject(current)) continue;
    for (const [key, child] of Object.entries(current)) {
      const childPath = path === '' ? key : `${path}.${key}`;
      if (PROTOTYPE_KEYS.has(key)) found.push(childPath);
      else pending.push({ value: child, path: childPath });
    }
  }
  return found;
}

function isPlainObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}
