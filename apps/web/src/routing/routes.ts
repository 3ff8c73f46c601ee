import { useEffect, useState } from 'react';

/**
 * Screens live in the URL's hash (`#/groups/<id>`): static hosting (S3, CloudFront) serves index.html for `/` only
 * and needs no rewrite rules, and the OIDC redirect comes back to `/` with its `?code=` untouched.
 */
export type Route =
  | { page: 'groups' }
  | { page: 'group'; groupId: string }
  | { page: 'image'; imageId: string }
  | { page: 'search'; label: string }
  | { page: 'not-found' };

export function parseRoute(hash: string): Route {
  const [path = '', search = ''] = hash.replace(/^#/, '').split('?');
  const segments = path
    .split('/')
    .filter((segment) => segment !== '')
    .map(safeDecode);
  if (segments.length === 0) return { page: 'groups' };
  if (segments.length === 2 && segments[0] === 'groups') return { page: 'group', groupId: segments[1] };
  if (segments.length === 2 && segments[0] === 'images') return { page: 'image', imageId: segments[1] };
  if (segments.length === 1 && segments[0] === 'search') {
    return { page: 'search', label: new URLSearchParams(search).get('label') ?? '' };
  }
  return { page: 'not-found' };
}

export function routeHref(route: Route): string {
  switch (route.page) {
    case 'groups':
      return '#/';
    case 'group':
      return `#/groups/${encodeURIComponent(route.groupId)}`;
    case 'image':
      return `#/images/${encodeURIComponent(route.imageId)}`;
    case 'search':
      return `#/search?${new URLSearchParams({ label: route.label })}`;
    case 'not-found':
      return '#/not-found';
  }
}

export function navigate(route: Route): void {
  window.location.hash = routeHref(route);
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
