import { useCallback, useState } from 'react';
import { describeError } from '../api/api-error';

/** Runs one user action at a time: `busy` while it runs (to disable buttons), `error` for its readable failure. */
export function useBusyAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const run = useCallback(async (action: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await action();
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, setError, run };
}
