import type { ImageLabel } from '../api/types';
import { formatConfidence } from './format';

/** The classifier's top labels, best first, each with its confidence as a bar and as a number. */
export function LabelBars({ labels }: { labels: ImageLabel[] }) {
  if (labels.length === 0) return null;
  return (
    <ol className="label-bars" aria-label="Top labels">
      {labels.map((entry) => {
        const share = formatConfidence(entry.confidence);
        return (
          <li key={`${entry.classId}-${entry.label}`} className="label-bar">
            <span className="label-bar-name">{entry.label}</span>
            <span className="label-bar-track" aria-hidden="true">
              <span className="label-bar-fill" style={{ width: barWidth(entry.confidence) }} />
            </span>
            <span className="label-bar-value">{share}</span>
          </li>
        );
      })}
    </ol>
  );
}

function barWidth(confidence: number): string {
  return `${(Math.min(1, Math.max(0, confidence)) * 100).toFixed(1)}%`;
}
