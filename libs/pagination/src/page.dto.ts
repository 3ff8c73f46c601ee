/** What every listing returns; `nextKey` is absent on the last page. */
export interface Page<T> {
  items: T[];
  nextKey?: string;
}
