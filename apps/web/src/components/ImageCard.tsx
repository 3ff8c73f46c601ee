import { useState } from 'react';
import type { Image } from '../api/types';
import { routeHref } from '../routing/routes';
import { formatTimestamp, imageAltText } from './format';
import { ImageStatusView } from './ImageStatusView';

export function ImageCard({ image }: { image: Image }) {
  const source = image.thumbnailUrl ?? image.imageUrl;
  // A file that is not an image (or a URL that expired) shows a placeholder, not a broken-image icon.
  const [brokenSource, setBrokenSource] = useState<string | undefined>();
  return (
    <li className="image-card">
      <a href={routeHref({ page: 'image', imageId: image.imageId })} className="image-card-link">
        {brokenSource === source ? (
          <span className="image-card-placeholder" role="img" aria-label={imageAltText(image)}>
            No preview
          </span>
        ) : (
          <img
            src={source}
            alt={imageAltText(image)}
            loading="lazy"
            width={256}
            height={256}
            onError={() => setBrokenSource(source)}
          />
        )}
        <span className="image-card-title">{image.title}</span>
      </a>
      <time dateTime={image.timestamp} className="image-card-time">
        {formatTimestamp(image.timestamp)}
      </time>
      {image.classLabel ? (
        <span className="image-card-label">{image.classLabel}</span>
      ) : (
        <ImageStatusView image={image} />
      )}
    </li>
  );
}
