import { useCallback, useEffect, useMemo, useState } from 'react';
import { describeError } from '../api/api-error';
import type { Image } from '../api/types';
import { useAppServices } from '../app-services';
import { useLiveImages } from '../live/use-live-images';
import { navigate, routeHref } from '../routing/routes';
import { ErrorMessage } from './ErrorMessage';
import { formatConfidence, formatTimestamp, imageAltText } from './format';
import { ImageStatusView } from './ImageStatusView';
import { LabelBars } from './LabelBars';
import { PageHeading } from './PageHeading';
import { useBusyAction } from './use-busy-action';

export function ImagePage({ imageId }: { imageId: string }) {
  const { api, session } = useAppServices();
  const [image, setImage] = useState<Image | undefined>();
  const { busy, error, setError, run: act } = useBusyAction();
  const [relabelling, setRelabelling] = useState(false);

  useEffect(() => {
    api.getImage(imageId).then(setImage, (failure: unknown) => setError(describeError(failure)));
  }, [api, imageId]);
  const shown = useMemo(() => (image ? [image] : []), [image]);
  useLiveImages(
    shown,
    useCallback((latest: Image) => setImage(latest), []),
  );

  const owner = image !== undefined && session?.userId === image.userId;

  // The API queues the work and answers at once with the image PENDING (its labels kept); the live updates (or the
  // polling behind them) bring the new label.
  const reclassify = () =>
    act(async () => {
      setRelabelling(true);
      try {
        setImage(await api.reclassifyImage(imageId));
      } finally {
        setRelabelling(false);
      }
    });
  const remove = () =>
    act(async () => {
      if (!image || !window.confirm(`Delete the photo “${image.title}”?`)) return;
      await api.deleteImage(image.imageId);
      navigate({ page: 'group', groupId: image.groupId });
    });

  return (
    <>
      {image ? (
        <p>
          <a href={routeHref({ page: 'group', groupId: image.groupId })}>← Back to the group</a>
        </p>
      ) : null}
      <PageHeading>{image ? image.title : 'Photo'}</PageHeading>
      <ErrorMessage message={error} />
      {image ? (
        <article className="image-detail">
          <img src={image.imageUrl} alt={imageAltText(image)} className="image-detail-photo" />
          <div className="image-detail-info">
            <p className="hint">
              Uploaded by {image.userId} on <time dateTime={image.timestamp}>{formatTimestamp(image.timestamp)}</time>
            </p>
            <ImageStatusView image={relabelling ? { status: 'PENDING' } : image} />
            {image.status === 'CLASSIFIED' ? (
              <section aria-label="Labels">
                <h2>
                  {image.classLabel ?? 'Labels'}
                  {image.confidence !== undefined ? ` (${formatConfidence(image.confidence)})` : ''}
                </h2>
                <LabelBars labels={image.labels ?? []} />
                {image.model ? <p className="hint">Model: {image.model}</p> : null}
              </section>
            ) : null}
            {owner ? (
              <div className="actions">
                <button type="button" onClick={() => void reclassify()} disabled={busy || image.status === 'PENDING'}>
                  Label again
                </button>
                <button type="button" className="danger" onClick={() => void remove()} disabled={busy}>
                  Delete photo
                </button>
              </div>
            ) : null}
          </div>
        </article>
      ) : null}
      {!image && !error ? <p role="status">Loading…</p> : null}
    </>
  );
}
