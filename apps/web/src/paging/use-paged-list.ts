import { useCallback, useEffect, useRef, useState } from 'react';
import { describeError } from '../api/api-error';
import type { Page } from '../api/types';

export interface PagedList<T> {
  items: T[];
  /** True until the first page has come. */
  loading: boolean;
  loadingMore: boolean;
  error: string | undefined;
  hasMore: boolean;
  loadMore: () => void;
  /** For changes made here (an upload, a delete, a live update) without reloading. */
  setItems: (update: (items: T[]) => T[]) => void;
}

/** A listing read page by page ("Load more"); a new `key` starts it over. */
export function usePagedList<T>(key: string, loadPage: (nextKey?: string) => Promise<Page<T>>): PagedList<T> {
  const [items, setItemsState] = useState<T[]>([]);
  const [nextKey, setNextKey] = useState<string | undefined>();
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<string | undefined>();
  // Answers that arrive after the key changed belong to the old listing.
  const generation = useRef(0);
  const loadPageRef = useRef(loadPage);
  loadPageRef.current = loadPage;

  useEffect(() => {
    const current = ++generation.current;
    setItemsState([]);
    setNextKey(undefined);
    setError(undefined);
    setLoading(true);
    loadPageRef
      .current()
      .then((page) => {
        if (current !== generation.current) return;
        setItemsState(page.items);
        setNextKey(page.nextKey);
      })
      .catch((failure: unknown) => current === generation.current && setError(describeError(failure)))
      .finally(() => current === generation.current && setLoading(false));
  }, [key]);

  const loadMore = useCallback(() => {
    if (nextKey === undefined || loadingMore) return;
    const current = generation.current;
    setLoadingMore(true);
    setError(undefined);
    loadPageRef
      .current(nextKey)
      .then((page) => {
        if (current !== generation.current) return;
        setItemsState((previous) => [...previous, ...page.items]);
        setNextKey(page.nextKey);
      })
      .catch((failure: unknown) => current === generation.current && setError(describeError(failure)))
      .finally(() => current === generation.current && setLoadingMore(false));
  }, [nextKey, loadingMore]);

  const setItems = useCallback((update: (items: T[]) => T[]) => setItemsState(update), []);

  return { items, loading, loadingMore, error, hasMore: nextKey !== undefined, loadMore, setItems };
}
