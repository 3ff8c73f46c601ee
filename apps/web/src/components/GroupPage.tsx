import { useCallback, useEffect, useState } from 'react';
import { describeError } from '../api/api-error';
import type { Group, Image } from '../api/types';
import { useAppServices } from '../app-services';
import { useLiveImages } from '../live/use-live-images';
import { usePagedList } from '../paging/use-paged-list';
import { navigate, routeHref } from '../routing/routes';
import { ErrorMessage } from './ErrorMessage';
import { ImageGrid } from './ImageGrid';
import { PageHeading } from './PageHeading';
import { SearchForm } from './SearchForm';
import { UploadPanel } from './UploadPanel';

export function GroupPage({ groupId }: { groupId: string }) {
  const { api, session } = useAppServices();
  const [group, setGroup] = useState<Group | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [label, setLabel] = useState('');
  const [deleting, setDeleting] = useState(false);

  useEffect(() => {
    api.getGroup(groupId).then(setGroup, (failure: unknown) => setError(describeError(failure)));
  }, [api, groupId]);

  const loadPage = useCallback(
    (nextKey?: string) => api.listGroupImages(groupId, { nextKey, label: label || undefined }),
    [api, groupId, label],
  );
  const images = usePagedList<Image>(`${groupId}|${label}`, loadPage);
  const { setItems } = images;
  const replace = useCallback(
    (image: Image) => setItems((items) => items.map((item) => (item.imageId === image.imageId ? image : item))),
    [setItems],
  );
  // The group itself, so that its first upload is announced too.
  useLiveImages(images.items, replace, [groupId]);

  async function deleteGroup() {
    if (!group || !window.confirm(`Delete the group “${group.name}”?`)) return;
    setDeleting(true);
    setError(undefined);
    try {
      await api.deleteGroup(group.id);
      navigate({ page: 'groups' });
    } catch (failure) {
      setError(describeError(failure));
      setDeleting(false);
    }
  }

  return (
    <>
      <p>
        <a href={routeHref({ page: 'groups' })}>← All groups</a>
      </p>
      <PageHeading>{group ? group.name : 'Group'}</PageHeading>
      {group?.description ? <p>{group.description}</p> : null}
      {group ? <p className="hint">Created by {group.userId}</p> : null}
      <ErrorMessage message={error} />
      {group && session?.userId === group.userId ? (
        <button type="button" className="danger" onClick={() => void deleteGroup()} disabled={deleting}>
          Delete group
        </button>
      ) : null}
      {group && session ? (
        <UploadPanel groupId={groupId} onUploaded={(image) => images.setItems((items) => [image, ...items])} />
      ) : null}
      <h2>Photos{label ? ` labelled “${label}”` : ''}</h2>
      <SearchForm label="Filter by label" initial={label} onSearch={setLabel} />
      <ImageGrid list={images} emptyText={label ? 'No photo here has that label.' : 'No photos yet.'} />
    </>
  );
}
