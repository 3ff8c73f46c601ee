import type { Image } from '../api/types';

/** PENDING: a spinner while the classifier works; FAILED: why; CLASSIFIED: nothing to add. */
export function ImageStatusView({ image }: { image: Pick<Image, 'status' | 'failure'> }) {
  if (image.status === 'PENDING') {
    return (
      <p className="status status-pending" role="status">
        <span className="spinner" aria-hidden="true" /> Labelling…
      </p>
    );
  }
  if (image.status === 'FAILED') {
    return (
      <p className="status status-failed" role="status">
        Could not be labelled: {image.failure?.reason ?? 'no reason given'}
        {image.failure?.errorType ? <span className="status-detail"> ({image.failure.errorType})</span> : null}
      </p>
    );
  }
  return null;
}
