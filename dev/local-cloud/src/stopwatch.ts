/** Starts timing; the returned function tells the elapsed time as "4.2 s". */
export function startStopwatch(): () => string {
  const startedAt = performance.now();
  return () => `${((performance.now() - startedAt) / 1000).toFixed(1)} s`;
}
