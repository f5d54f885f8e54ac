/**
 * The Runner plugin for the new frontend system.
 *
 * @packageDocumentation
 */

import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import {
  isAlertsAvailable,
  isGatewayAvailable,
  isRunnerAvailable,
} from '@internal/plugin-runner-common';
import PlayCircleOutlineIcon from '@material-ui/icons/PlayCircleOutline';
import SettingsEthernetIcon from '@material-ui/icons/SettingsEthernet';
import NotificationsActiveIcon from '@material-ui/icons/NotificationsActive';
import { RunnerClient, runnerApiRef } from './api';

/** @alpha */
export const runnerApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: runnerApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new RunnerClient({ discoveryApi, fetchApi }),
    }),
});

// The filters are functions rather than filter expressions because the
// predicates live in runner-common, where the legacy entity page imports them
// too; a second, expression-based copy here could drift from them.
//
// Each tab has a group of its own: the entity page folds a group with more
// than one tab into a single drop-down tab named after the group, which would
// hide the Runner and Gateway tabs behind a "Deployment" menu.

/** @alpha */
export const runnerEntityContent = EntityContentBlueprint.make({
  name: 'runner',
  params: {
    path: 'runner',
    title: 'Runner',
    group: 'deployment',
    icon: <PlayCircleOutlineIcon fontSize="inherit" />,
    filter: isRunnerAvailable,
    loader: () =>
      import('./components/RunnerContent').then(m => <m.RunnerContent />),
  },
});

/** @alpha */
export const gatewayEntityContent = EntityContentBlueprint.make({
  name: 'gateway',
  params: {
    path: 'gateway',
    title: 'Gateway',
    group: 'operation',
    icon: <SettingsEthernetIcon fontSize="inherit" />,
    filter: isGatewayAvailable,
    loader: () =>
      import('./components/GatewayContent').then(m => <m.GatewayContent />),
  },
});

/** @alpha */
export const alertsEntityContent = EntityContentBlueprint.make({
  name: 'alerts',
  params: {
    path: 'alerts',
    title: 'Alerts',
    group: 'observability',
    icon: <NotificationsActiveIcon fontSize="inherit" />,
    filter: isAlertsAvailable,
    loader: () =>
      import('./components/AlertsContent').then(m => <m.AlertsContent />),
  },
});

/**
 * The Runner plugin: the runner API and the Runner, Gateway and Alerts
 * entity tabs.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'runner',
  title: 'Runner',
  icon: <PlayCircleOutlineIcon />,
  info: { packageJson: () => import('../package.json') },
  extensions: [
    runnerApi,
    runnerEntityContent,
    gatewayEntityContent,
    alertsEntityContent,
  ],
});
