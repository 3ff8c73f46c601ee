import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { LabelBars } from './LabelBars';

describe('LabelBars', () => {
  it('lists the labels best first, each with its confidence as a percentage and a bar of that width', () => {
    render(
      <LabelBars
        labels={[
          { label: 'fox squirrel, eastern fox squirrel, Sciurus niger', confidence: 0.9812, classId: 335 },
          { label: 'marmot', confidence: 0.0123, classId: 336 },
        ]}
      />,
    );

    const items = within(screen.getByRole('list', { name: 'Top labels' })).getAllByRole('listitem');
    expect(items.map((item) => item.textContent)).toEqual([
      'fox squirrel, eastern fox squirrel, Sciurus niger98.1%',
      'marmot1.2%',
    ]);
    const fills = items.map((item) => (item.querySelector('.label-bar-fill') as HTMLElement).style.width);
    expect(fills).toEqual(['98.1%', '1.2%']);
  });

  it('shows nothing when there are no labels yet', () => {
    const { container } = render(<LabelBars labels={[]} />);

    expect(container.innerHTML).toBe('');
  });
});
