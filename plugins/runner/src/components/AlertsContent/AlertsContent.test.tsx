import { screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { AlertsContent } from './AlertsContent';

describe('AlertsContent', () => {
  it('shows empty active alerts and error history under their own headings', async () => {
    renderInTestApp(<AlertsContent />);

    const tab = screen.getByTestId('alerts-tab');
    expect(
      within(tab).getByRole('heading', { level: 2, name: 'Alerts' }),
    ).toBeInTheDocument();

    const active = within(tab).getByRole('heading', {
      level: 3,
      name: 'Active alerts',
    });
    const history = within(tab).getByRole('heading', {
      level: 3,
      name: 'Error history',
    });
    // Each empty state sits in the card of its heading.
    expect(active.closest('.MuiCard-root')).toHaveTextContent('No alerts');
    expect(history.closest('.MuiCard-root')).toHaveTextContent(
      'No errors recorded',
    );
    // Honest about why it is empty: nothing reports alerts yet.
    expect(tab).toHaveTextContent('The runner does not report alerts yet.');
  });
});
