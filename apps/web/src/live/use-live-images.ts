import { useEffect, useRef, useState } from 'react';
import type { Image } from '../api/types';
import { useAppServices } from '../app-services';
import { keepShownUrls } from './shown-urls';

const POLL_INTERVAL_MS = 2_000;

/**
 * Keeps the shown images current without a reload: it watches their groups (or `groupIds`, e.g. the group a page
 * shows even while it is empty), and a WebSocket message about one of the images re-reads it; a PENDING image whose
 * group is not watched (no socket configured, dropped, or the subscription refused) is re-read every 2 s until it
 * is labelled.
 */
export function useLiveImages(images: Image[], onUpdate: (image: Image) => void, groupIds?: string[]): void {
  const { api, feed } = useAppServices();
  const [connected, setConnected] = useState(feed.connected);
  // Bumped when a subscription is confirmed or refused, so that polling starts or stops.
  const [, setSubscriptionsChanged] = useState(0);
  const imagesRef = useRef(images);
  imagesRef.current = images;
  const onUpdateRef = useRef(onUpdate);
  onUpdateRef.current = onUpdate;
  const withShownUrls = (latest: Image) =>
    keepShownUrls(
      imagesRef.current.find((image) => image.imageId === latest.imageId),
      latest,
    );

  useEffect(() => {
    setConnected(feed.connected);
    const stopWatchingConnection = feed.onConnection((isConnected) => {
      setConnected(isConnected);
      setSubscriptionsChanged((count) => count + 1);
    });
    const stopListening = feed.onChange((change) => {
      if (!imagesRef.current.some((image) => image.imageId === change.imageId)) return;
      api.getImage(change.imageId).then(
        (image) => onUpdateRef.current(withShownUrls(image)),
        () => undefined,
      );
    });
    return () => {
      stopWatchingConnection();
      stopListening();
    };
  }, [api, feed]);

  const watched = [...new Set(groupIds ?? images.map((image) => image.groupId))].sort();
  const watchedKey = watched.join(',');
  useEffect(() => {
    const stops = watchedKey === '' ? [] : watchedKey.split(',').map((groupId) => feed.watch(groupId));
    return () => stops.forEach((stop) => stop());
  }, [feed, watchedKey]);

  const anyUnwatchedPending = images.some((image) => image.status === 'PENDING' && !feed.isWatching(image.groupId));
  useEffect(() => {
    if (!anyUnwatchedPending) return;
    const timer = setInterval(() => {
      for (const image of imagesRef.current) {
        if (image.status !== 'PENDING' || feed.isWatching(image.groupId)) continue;
        api.getImage(image.imageId).then(
          (latest) => latest.status !== 'PENDING' && onUpdateRef.current(withShownUrls(latest)),
          () => undefined,
        );
      }
    }, POLL_INTERVAL_MS);
    return () => clearInterval(timer);
  }, [api, feed, connected, anyUnwatchedPending]);
}
