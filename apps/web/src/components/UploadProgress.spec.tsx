import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { UploadProgress } from './UploadProgress';

describe('UploadProgress', () => {
  it('shows the share of bytes sent as a labelled progress bar', () => {
    render(<UploadProgress fileName="squirrel.jpg" progress={{ loaded: 31_155, total: 62_311 }} />);

    const bar = screen.getByLabelText('Uploading squirrel.jpg…');
    expect(bar.tagName).toBe('PROGRESS');
    expect(bar.getAttribute('value')).toBe('50');
    expect(bar.getAttribute('max')).toBe('100');
  });

  it('starts at 0% before the size is known', () => {
    render(<UploadProgress fileName="a.png" progress={{ loaded: 0, total: 0 }} />);

    expect(screen.getByLabelText('Uploading a.png…').getAttribute('value')).toBe('0');
  });
});
