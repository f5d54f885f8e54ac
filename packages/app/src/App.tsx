import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import notificationsPlugin from '@backstage/plugin-notifications/alpha';
import orgPlugin from '@backstage/plugin-org/alpha';
import signalsPlugin from '@backstage/plugin-signals/alpha';
import userSettingsPlugin from '@backstage/plugin-user-settings/alpha';
import runnerPlugin from '@internal/plugin-runner/alpha';
import { navModule } from './modules/nav';

// The plugins are listed explicitly, although app.packages: all discovers
// them in a served app too, so that the app (and App.test.tsx, where no
// discovery runs) has the same features everywhere. createApp deduplicates
// them.
export default createApp({
  features: [
    catalogPlugin,
    orgPlugin,
    notificationsPlugin,
    signalsPlugin,
    userSettingsPlugin,
    runnerPlugin,
    navModule,
  ],
});
