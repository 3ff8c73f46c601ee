import { useCallback } from 'react';
import type { Image } from '../api/types';
import { useAppServices } from '../app-services';
import { useLiveImages } from '../live/use-live-images';
import { usePagedList } from '../paging/use-paged-list';
import { navigate } from '../routing/routes';
import { ImageGrid } from './ImageGrid';
import { PageHeading } from './PageHeading';
import { SearchForm } from './SearchForm';

/** Photos of every group whose labels contain a word. */
export function SearchPage({ label }: { label: string }) {
  const { api } = useAppServices();
  const loadPage = useCallback(
    (nextKey?: string) => (label ? api.searchImages(label, nextKey) : Promise.resolve({ items: [] })),
    [api, label],
  );
  const images = usePagedList<Image>(label, loadPage);
  const { setItems } = images;
  const replace = useCallback(
    (image: Image) => setItems((items) => items.map((item) => (item.imageId === image.imageId ? image : item))),
    [setItems],
  );
  useLiveImages(images.items, replace);

  return (
    <>
      <PageHeading>{label ? `Photos labelled “${label}”` : 'Search photos by label'}</PageHeading>
      <SearchForm
        key={label}
        label="Label"
        initial={label}
        onSearch={(word) => navigate({ page: 'search', label: word })}
      />
      {label ? <ImageGrid list={images} emptyText="No photo has that label yet." /> : null}
    </>
  );
}
