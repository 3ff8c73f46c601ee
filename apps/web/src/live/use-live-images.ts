import { useEffect, useRef, useState } from 'react';
import type { Image } from '../api/types';
import { useAppServices } from '../app-services';

const POLL_INTERVAL_MS = 2_000;

/**
 * Keeps the shown images current without a reload: a WebSocket message about one of them re-reads it; while the
 * socket is not open (none configured, or dropped) every PENDING one is re-read every 2 s until it is labelled.
 */
export function useLiveImages(images: Image[], onUpdate: (image: Image) => void): void {
  const { api, feed } = useAppServices();
  const [connected, setConnected] = useState(feed.connected);
  const imagesRef = useRef(images);
  imagesRef.current = images;
  const onUpdateRef = useRef(onUpdate);
  onUpdateRef.current = onUpdate;

  useEffect(() => {
    setConnected(feed.connected);
    const stopWatchingConnection = feed.onConnection(setConnected);
    const stopListening = feed.onChange((change) => {
      if (!imagesRef.current.some((image) => image.imageId === change.imageId)) return;
      api.getImage(change.imageId).then((image) => onUpdateRef.current(image), () => undefined);
    });
    return () => {
      stopWatchingConnection();
      stopListening();
    };
  }, [api, feed]);

  const anyPending = images.some((image) => image.status === 'PENDING');
  useEffect(() => {
    if (connected || !anyPending) return;
    const timer = setInterval(() => {
      for (const image of imagesRef.current) {
        if (image.status !== 'PENDING') continue;
        api.getImage(image.imageId).then(
          (latest) => latest.status !== 'PENDING' && onUpdateRef.current(latest),
          () => undefined,
        );
      }
    }, POLL_INTERVAL_MS);
    return () => clearInterval(timer);
  }, [api, connected, anyPending]);
}
