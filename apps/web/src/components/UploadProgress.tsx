import { useId } from 'react';
import type { UploadProgress as Progress } from '../api/upload';

/** A real progress bar: bytes sent to storage so far, as the browser reports them. */
export function UploadProgress({ fileName, progress }: { fileName: string; progress: Progress }) {
  const id = useId();
  const percent = progress.total > 0 ? Math.min(100, Math.round((progress.loaded / progress.total) * 100)) : 0;
  return (
    <div className="upload-progress">
      <label htmlFor={id}>Uploading {fileName}…</label>
      <progress id={id} max={100} value={percent}>
        {percent}%
      </progress>
      <span className="upload-progress-value" aria-hidden="true">
        {percent}%
      </span>
    </div>
  );
}
