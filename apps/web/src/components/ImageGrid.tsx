import type { Image } from '../api/types';
import type { PagedList } from '../paging/use-paged-list';
import { ErrorMessage } from './ErrorMessage';
import { ImageCard } from './ImageCard';

/** A listing of images as thumbnails, newest first, with "Load more". */
export function ImageGrid({ list, emptyText }: { list: PagedList<Image>; emptyText: string }) {
  return (
    <section aria-label="Images" aria-busy={list.loading}>
      {list.loading ? <p role="status">Loading images…</p> : null}
      {!list.loading && !list.error && list.items.length === 0 ? <p>{emptyText}</p> : null}
      <ul className="image-grid">
        {list.items.map((image) => (
          <ImageCard key={image.imageId} image={image} />
        ))}
      </ul>
      <ErrorMessage message={list.error} />
      {list.hasMore ? (
        <button type="button" onClick={list.loadMore} disabled={list.loadingMore}>
          {list.loadingMore ? 'Loading…' : 'Load more images'}
        </button>
      ) : null}
    </section>
  );
}
