import { useState } from 'react';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import AddIcon from '@material-ui/icons/Add';
import GetAppIcon from '@material-ui/icons/GetApp';
import PublishIcon from '@material-ui/icons/Publish';
import Alert from '@material-ui/lab/Alert';
import { InfoCard } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  GATEWAY_ANNOTATIONS,
  type GatewayBundleView,
} from '@internal/plugin-runner-common';
import { runnerApiRef } from '../../api';
import { useGatewayClusters } from '../../hooks/useGatewayClusters';
import { useGatewayPermissions } from '../../hooks/useGatewayPermissions';
import { useLiveGatewayBundles } from '../../hooks/useLiveGatewayBundles';
import { errorMessage } from '../../lib/format';
import { AnnotationsTable, type AnnotationRow } from '../AnnotationsTable';
import { GatewayBundlesCard } from '../GatewayBundlesCard';
import { GatewayClustersCard } from '../GatewayClustersCard';
import { GatewayImportDialog } from '../GatewayImportDialog';
import { GatewayWizard } from '../GatewayWizard';
import { GuardedButton } from '../GuardedButton';
import { downloadText } from '../InstanceLogs/download';

const GATEWAY_ROWS: AnnotationRow[] = [
  { label: 'Namespace', annotation: GATEWAY_ANNOTATIONS.namespace },
  { label: 'Parent gateway', annotation: GATEWAY_ANNOTATIONS.parentGateway },
  { label: 'Cluster', annotation: GATEWAY_ANNOTATIONS.cluster },
];

type Wizard =
  | { kind: 'provider' | 'route'; editing?: GatewayBundleView }
  | undefined;

/**
 * The Gateway entity tab: whether a cluster is there to apply to, the
 * entity's routes and providers with their status, and building, editing,
 * validating, exporting, importing and rolling back gateway bundles.
 *
 * @public
 */
export function GatewayContent() {
  const { entity } = useEntity();
  const runnerApi = useApi(runnerApiRef);
  const entityRef = stringifyEntityRef(entity);
  const entityName = entity.metadata.title ?? entity.metadata.name;
  const annotations = entity.metadata.annotations ?? {};
  const entityCluster = annotations[GATEWAY_ANNOTATIONS.cluster] || undefined;
  const defaultParent =
    annotations[GATEWAY_ANNOTATIONS.parentGateway] || undefined;

  const clusters = useGatewayClusters(entityCluster);
  const permissions = useGatewayPermissions(entityRef, entity.metadata.name);
  const live = useLiveGatewayBundles(entityRef);
  const [wizard, setWizard] = useState<Wizard>();
  const [importing, setImporting] = useState(false);
  const [exportError, setExportError] = useState<string>();

  const changeBlocked = clusters.applyBlocked('route');
  const exportAll = async () => {
    setExportError(undefined);
    try {
      downloadText(
        `${entity.metadata.name}-gateway.yaml`,
        await runnerApi.exportGatewayYaml(entityRef),
      );
    } catch (e) {
      setExportError(errorMessage(e as Error));
    }
  };
  const onEdit = async (bundle: GatewayBundleView) => {
    // Fresh resourceVersions: the list may be a few seconds old.
    const current = await runnerApi
      .getGatewayBundle(entityRef, bundle.type, bundle.name)
      .catch(() => bundle);
    setWizard({ kind: bundle.type, editing: current });
  };

  return (
    <Grid
      container
      spacing={3}
      component="section"
      aria-labelledby="gateway-tab-heading"
      data-testid="gateway-tab"
    >
      <Grid item xs={12}>
        <Box
          display="flex"
          alignItems="center"
          justifyContent="space-between"
          flexWrap="wrap"
          gridGap={8}
        >
          <Typography variant="h4" component="h2" id="gateway-tab-heading">
            Gateway
          </Typography>
          <Box
            display="flex"
            gridGap={8}
            flexWrap="wrap"
            role="toolbar"
            aria-label="Gateway actions"
          >
            <GuardedButton
              variant="contained"
              color="primary"
              startIcon={<AddIcon />}
              disabledReason={
                wizard
                  ? 'Finish or cancel the open form first.'
                  : permissions.create.reason
              }
              onClick={() => setWizard({ kind: 'provider' })}
            >
              Add provider
            </GuardedButton>
            <GuardedButton
              variant="outlined"
              color="primary"
              startIcon={<AddIcon />}
              disabledReason={
                wizard
                  ? 'Finish or cancel the open form first.'
                  : permissions.create.reason
              }
              onClick={() => setWizard({ kind: 'route' })}
            >
              Expose service
            </GuardedButton>
            <GuardedButton
              variant="outlined"
              startIcon={<PublishIcon />}
              disabledReason={permissions.import.reason}
              onClick={() => setImporting(true)}
            >
              Import YAML
            </GuardedButton>
            <GuardedButton
              variant="outlined"
              startIcon={<GetAppIcon />}
              onClick={exportAll}
            >
              Export YAML
            </GuardedButton>
          </Box>
        </Box>
        {exportError && (
          <Alert severity="error" role="alert">
            Could not export: {exportError}
          </Alert>
        )}
      </Grid>
      <Grid item xs={12} md={6}>
        <GatewayClustersCard
          clusters={clusters}
          entityCluster={entityCluster}
        />
      </Grid>
      <Grid item xs={12} md={6}>
        <InfoCard
          title="Gateway binding"
          titleTypographyProps={{ component: 'h3' }}
          subheader="From this entity's annotations"
        >
          <AnnotationsTable
            entity={entity}
            rows={GATEWAY_ROWS}
            aria-label="Gateway annotations"
          />
        </InfoCard>
      </Grid>
      {wizard && (
        <Grid item xs={12}>
          <GatewayWizard
            key={`${wizard.kind}-${wizard.editing?.name ?? 'new'}`}
            entityRef={entityRef}
            entityName={entity.metadata.name}
            kind={wizard.kind}
            editing={wizard.editing}
            defaultParent={defaultParent}
            applyBlocked={clusters.applyBlocked(wizard.kind)}
            permission={
              wizard.editing ? permissions.update : permissions.create
            }
            onClose={() => setWizard(undefined)}
            onApplied={live.refresh}
          />
        </Grid>
      )}
      <Grid item xs={12}>
        <GatewayBundlesCard
          entityRef={entityRef}
          entityName={entityName}
          live={live}
          permissions={permissions}
          changeBlocked={changeBlocked}
          onEdit={onEdit}
        />
      </Grid>
      <GatewayImportDialog
        open={importing}
        entityRef={entityRef}
        disabledReason={
          clusters.applyBlocked('provider') ?? permissions.import.reason
        }
        onClose={() => setImporting(false)}
        onImported={live.refresh}
      />
    </Grid>
  );
}
