import { useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { EmptyState, InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import type {
  GatewayBundleList,
  GatewayBundleView,
} from '@internal/plugin-runner-common';
import { runnerApiRef } from '../../api';
import type { GatewayPermissions } from '../../hooks/useGatewayPermissions';
import {
  GATEWAY_POLL_INTERVAL_MS,
  type LiveGatewayBundles,
} from '../../hooks/useLiveGatewayBundles';
import { errorMessage } from '../../lib/format';
import { ConfirmDialog } from '../ConfirmDialog';
import { GatewayBundlesTable } from '../GatewayBundlesTable';
import { GatewayErrorAlert } from '../GatewayErrorAlert';
import { GatewayRevisionsDialog } from '../GatewayRevisionsDialog';
import { downloadText } from '../InstanceLogs/download';

export interface GatewayBundlesCardProps {
  entityRef: string;
  entityName: string;
  live: LiveGatewayBundles;
  permissions: GatewayPermissions;
  /** Why nothing can be changed in a cluster, if so. */
  changeBlocked?: string;
  onEdit: (bundle: GatewayBundleView) => void;
}

function Section(props: {
  title: string;
  list: GatewayBundleList;
  empty: string;
  children: (items: GatewayBundleView[]) => JSX.Element;
}) {
  const { title, list, empty } = props;
  return (
    <Box mb={3}>
      <Typography variant="h6" component="h4">
        {title}
      </Typography>
      {list.items.length === 0 ? (
        <Typography variant="body2" color="textSecondary">
          {list.configured
            ? empty
            : 'None listed: there is no cluster to read them from.'}
        </Typography>
      ) : (
        props.children(list.items)
      )}
    </Box>
  );
}

/** The entity's routes and providers with their conditions, kept live, and the per-bundle actions. */
export function GatewayBundlesCard(props: GatewayBundlesCardProps) {
  const { entityRef, entityName, live, permissions, changeBlocked, onEdit } =
    props;
  const runnerApi = useApi(runnerApiRef);
  const [deleting, setDeleting] = useState<GatewayBundleView>();
  const [history, setHistory] = useState<GatewayBundleView>();
  const [notice, setNotice] = useState<{
    severity: 'success' | 'error';
    text: string;
  }>();

  const exportBundle = async (bundle: GatewayBundleView) => {
    try {
      downloadText(
        `${bundle.name}.yaml`,
        await runnerApi.exportGatewayYaml(entityRef, bundle.name),
      );
    } catch (e) {
      setNotice({
        severity: 'error',
        text: `Could not export ${bundle.name}: ${errorMessage(e as Error)}`,
      });
    }
  };

  const value = live.value;
  let body;
  if (!value && live.error) {
    body = (
      <GatewayErrorAlert
        title="Could not list the routes and providers"
        error={live.error}
        action={
          <Button color="inherit" size="small" onClick={live.refresh}>
            Try again
          </Button>
        }
      />
    );
  } else if (!value) {
    body = <Progress aria-label="Loading the routes and providers" />;
  } else if (
    value.routes.items.length === 0 &&
    value.providers.items.length === 0 &&
    value.routes.configured
  ) {
    body = (
      <EmptyState
        missing="data"
        title="No gateway routes or providers yet"
        description={`Add a provider or expose a service of ${entityName}; they are listed here with their status.`}
      />
    );
  } else {
    const table = (label: string) => (items: GatewayBundleView[]) =>
      (
        <GatewayBundlesTable
          label={label}
          bundles={items}
          permissions={permissions}
          changeBlocked={changeBlocked}
          onEdit={onEdit}
          onDelete={setDeleting}
          onExport={exportBundle}
          onHistory={setHistory}
        />
      );
    body = (
      <>
        <Section title="Routes" list={value.routes} empty="No HTTPRoutes yet.">
          {table(`Routes of ${entityName}`)}
        </Section>
        <Section
          title="Providers"
          list={value.providers}
          empty="No AI providers yet."
        >
          {table(`Providers of ${entityName}`)}
        </Section>
      </>
    );
  }

  return (
    <InfoCard
      title="Routes and providers"
      titleTypographyProps={{ component: 'h3' }}
      subheader={
        live.mode === 'signals'
          ? 'Status updates live'
          : `Status refreshes every ${GATEWAY_POLL_INTERVAL_MS / 1000} s`
      }
    >
      {value && live.error && (
        <Alert severity="warning">
          Could not refresh: {errorMessage(live.error)}
        </Alert>
      )}
      {notice && (
        <Alert
          severity={notice.severity}
          role="status"
          onClose={() => setNotice(undefined)}
        >
          {notice.text}
        </Alert>
      )}
      {body}
      <ConfirmDialog
        open={!!deleting}
        title={`Delete ${deleting?.type === 'route' ? 'route' : 'provider'} ${
          deleting?.name
        }?`}
        confirmLabel="Delete"
        onClose={() => setDeleting(undefined)}
        onConfirm={async () => {
          const bundle = deleting!;
          await runnerApi.deleteGatewayBundle(
            entityRef,
            bundle.type,
            bundle.name,
          );
          setNotice({ severity: 'success', text: `Deleted ${bundle.name}.` });
          live.refresh();
        }}
      >
        This deletes these objects of bundle {deleting?.name} from namespace{' '}
        {deleting?.namespace} in cluster {deleting?.cluster}:
        <ul aria-label="Objects to delete">
          {deleting?.objects.map((o: any) => (
            <li key={`${o.kind}/${o.metadata?.name}`}>
              {o.kind} {o.metadata?.name}
            </li>
          ))}
        </ul>
        A revision is recorded, but a deleted provider's credentials cannot be
        restored.
      </ConfirmDialog>
      {history && (
        <GatewayRevisionsDialog
          entityRef={entityRef}
          bundle={history}
          rollbackBlocked={changeBlocked ?? permissions.update.reason}
          onClose={() => setHistory(undefined)}
          onRolledBack={live.refresh}
        />
      )}
    </InfoCard>
  );
}
