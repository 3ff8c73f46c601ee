import { useId, useRef, useState, type DragEvent, type FormEvent } from 'react';
import { describeError } from '../api/api-error';
import type { Image } from '../api/types';
import { putFile, uploadContentType, type UploadProgress as Progress } from '../api/upload';
import { useAppServices } from '../app-services';
import { ErrorMessage } from './ErrorMessage';
import { UploadProgress } from './UploadProgress';

/** Pick or drop a photo, give it a title, upload it straight to storage (the API hands out the URL). */
export function UploadPanel({ groupId, onUploaded }: { groupId: string; onUploaded: (image: Image) => void }) {
  const { api } = useAppServices();
  const [file, setFile] = useState<File | undefined>();
  const [title, setTitle] = useState('');
  const [progress, setProgress] = useState<Progress | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [dragging, setDragging] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const ids = { title: useId(), file: useId(), hint: useId() };

  function choose(chosen: File | undefined) {
    setError(undefined);
    setFile(chosen);
    // A title to start from: the file's name without its extension.
    if (chosen && title.trim() === '') setTitle(chosen.name.replace(/\.[^.]+$/, '').slice(0, 200));
  }

  function onDrop(event: DragEvent<HTMLDivElement>) {
    event.preventDefault();
    setDragging(false);
    const dropped = event.dataTransfer.files[0];
    if (dropped) choose(dropped);
  }

  async function upload(event: FormEvent) {
    event.preventDefault();
    if (!file) {
      setError('Choose a photo first.');
      return;
    }
    setError(undefined);
    setProgress({ loaded: 0, total: file.size });
    try {
      const contentType = uploadContentType(file);
      const { newItem, uploadUrl } = await api.createImage(groupId, { title: title.trim(), contentType });
      await putFile(uploadUrl, file, contentType, setProgress).catch(async (failure: unknown) => {
        // Without its photo the record is of no use; removing it is best effort, the upload's error is the news.
        await api.deleteImage(newItem.imageId).catch(() => undefined);
        throw failure;
      });
      onUploaded(newItem);
      setFile(undefined);
      setTitle('');
      if (fileInput.current) fileInput.current.value = '';
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setProgress(undefined);
    }
  }

  const uploading = progress !== undefined;
  return (
    <form className="upload-panel" onSubmit={(event) => void upload(event)} aria-label="Upload a photo">
      <h2>Upload a photo</h2>
      <div
        className={`drop-zone${dragging ? ' drop-zone-active' : ''}`}
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <label htmlFor={ids.file}>Photo</label>
        <input
          id={ids.file}
          ref={fileInput}
          type="file"
          accept="image/jpeg,image/png,image/webp,image/*"
          aria-describedby={ids.hint}
          disabled={uploading}
          onChange={(event) => choose(event.target.files?.[0])}
        />
        <p id={ids.hint} className="hint">
          {file ? `Chosen: ${file.name}` : 'Choose a file, or drop a photo here.'}
        </p>
      </div>
      <label htmlFor={ids.title}>Title</label>
      <input
        id={ids.title}
        value={title}
        onChange={(event) => setTitle(event.target.value)}
        required
        maxLength={200}
        disabled={uploading}
      />
      <button type="submit" disabled={uploading}>
        Upload
      </button>
      {progress && file ? <UploadProgress fileName={file.name} progress={progress} /> : null}
      <ErrorMessage message={error} />
    </form>
  );
}
