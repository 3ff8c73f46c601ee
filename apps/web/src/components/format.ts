import type { Image } from '../api/types';

const percent = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 1 });
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** 0.9812 → "98.1%" */
export function formatConfidence(confidence: number): string {
  return percent.format(confidence);
}

export function formatTimestamp(timestamp: string): string {
  const date = new Date(timestamp);
  return Number.isNaN(date.getTime()) ? timestamp : dateTime.format(date);
}

/** What the photo is, for people who cannot see it: its title, and its label once known. */
export function imageAltText(image: Pick<Image, 'title' | 'classLabel'>): string {
  return image.classLabel ? `${image.title} (labelled: ${image.classLabel})` : image.title;
}
