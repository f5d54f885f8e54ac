import { useState, type ReactNode } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import CircularProgress from '@material-ui/core/CircularProgress';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import Radio from '@material-ui/core/Radio';
import RadioGroup from '@material-ui/core/RadioGroup';
import Step from '@material-ui/core/Step';
import StepLabel from '@material-ui/core/StepLabel';
import Stepper from '@material-ui/core/Stepper';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { InfoCard, Progress } from '@backstage/core-components';
import type { GatewayBundleView } from '@internal/plugin-runner-common';
import { errorStatus } from '../../lib/format';
import type { ActionGuard } from '../../hooks/useInstancePermissions';
import { DiffView } from '../DiffView';
import { FindingsList } from '../FindingsList';
import { GatewayErrorAlert } from '../GatewayErrorAlert';
import { GatewayVerdict } from '../GatewayVerdict';
import { GuardedButton } from '../GuardedButton';
import { ProviderForm } from '../ProviderForm';
import { RouteForm } from '../RouteForm';
import { YamlPreview } from '../YamlPreview';
import { downloadText } from '../InstanceLogs/download';
import {
  useGatewayWizard,
  type CallState,
  type GatewayWizardModel,
} from './useGatewayWizard';

export interface GatewayWizardProps {
  entityRef: string;
  entityName: string;
  kind: 'provider' | 'route';
  /** Edit this live bundle instead of creating one. */
  editing?: GatewayBundleView;
  /** The entity's gateway-parent annotation. */
  defaultParent?: string;
  /** Why nothing can be applied (no cluster, unreachable, not ready). */
  applyBlocked?: string;
  /** Create (or update, when editing) permission. */
  permission: ActionGuard;
  onClose: () => void;
  onApplied: () => void;
}

function Busy(props: { label: string }) {
  return (
    <Box display="flex" alignItems="center" gridGap={8} role="status">
      <CircularProgress size={20} aria-hidden /> {props.label}
    </Box>
  );
}

function CallView<T>(props: {
  state: CallState<T>;
  busy: string;
  errorTitle: string;
  children: (value: T) => ReactNode;
}) {
  const { state, busy, errorTitle, children } = props;
  if (state.loading) return <Busy label={busy} />;
  if (state.error)
    return <GatewayErrorAlert title={errorTitle} error={state.error} />;
  if (state.value === undefined) return null;
  return <>{children(state.value)}</>;
}

function wizardTitle(kind: 'provider' | 'route', editing?: GatewayBundleView) {
  const what = kind === 'route' ? 'route' : 'provider';
  if (editing) return `Edit ${what} ${editing.name}`;
  return kind === 'route' ? 'Expose service' : 'Add provider';
}

function ChooseProvider(props: { model: GatewayWizardModel }) {
  const { model } = props;
  if (model.templates.error) {
    return (
      <GatewayErrorAlert
        title="Could not list the templates"
        error={model.templates.error}
      />
    );
  }
  if (!model.templates.value)
    return <Progress aria-label="Loading the providers" />;
  return (
    <RadioGroup
      aria-label="Provider"
      value={model.templateId}
      onChange={e => model.chooseTemplate(e.target.value)}
    >
      {model.templates.value.map(t => (
        <FormControlLabel
          key={t.id}
          value={t.id}
          control={<Radio />}
          label={
            <>
              <Typography variant="body1">{t.title}</Typography>
              <Typography variant="caption" color="textSecondary">
                {t.description}
              </Typography>
            </>
          }
        />
      ))}
    </RadioGroup>
  );
}

function DetailsStep(
  props: GatewayWizardProps & { model: GatewayWizardModel },
) {
  const { model, kind, editing, defaultParent, entityName } = props;
  if (kind === 'route') {
    return (
      <RouteForm
        state={model.routeState}
        onChange={model.setRouteState}
        editing={!!editing}
        defaultParent={defaultParent}
        serviceName={entityName}
      />
    );
  }
  if (model.template.error) {
    return (
      <GatewayErrorAlert
        title="Could not load the template"
        error={model.template.error}
      />
    );
  }
  if (!model.template.value)
    return <Progress aria-label="Loading the template" />;
  return (
    <ProviderForm
      inputSchema={model.template.value.inputSchema}
      title={model.template.value.title}
      state={model.providerState}
      onChange={model.setProviderState}
      editing={!!editing}
      defaultParent={defaultParent}
    />
  );
}

/**
 * Builds a gateway bundle step by step: (provider) → details → YAML preview
 * → validation (valid, invalid or not verified, with the findings) → apply. Without a cluster the last step says why
 * and offers the YAML as a download instead. Edits show the diff against the
 * live objects before applying.
 */
export function GatewayWizard(props: GatewayWizardProps) {
  const { kind, editing, applyBlocked, permission, onClose, onApplied } = props;
  const model = useGatewayWizard(props);
  const steps = [
    ...(kind === 'provider' && !editing ? ['Choose provider'] : []),
    'Details',
    'YAML preview',
    'Validation',
    editing ? 'Review changes and apply' : 'Apply',
  ];
  const [step, setStep] = useState(0);
  const name = steps[step];
  const fileName = `${model.bundleName() || 'gateway'}.yaml`;
  const validationErrors =
    model.validation.value?.findings.filter(f => f.severity === 'error') ?? [];

  const next = async () => {
    if (name === 'Details') model.runPreview();
    if (name === 'YAML preview') model.runValidate();
    if (name === 'Validation' && editing) model.runDiff();
    setStep(step + 1);
  };
  const applyNow = async () => {
    const result = await model.runApply();
    if (result) {
      onApplied();
      setStep(steps.length);
    }
  };

  let nextBlocked: string | undefined;
  if (name === 'Choose provider' && !model.templateId)
    nextBlocked = 'Choose a provider first.';
  if (name === 'YAML preview' && !model.preview.value)
    nextBlocked = model.preview.loading
      ? 'Building the preview…'
      : 'Fix the problems above first.';
  if (name === 'Validation') {
    if (!model.validation.value) nextBlocked = 'Validating…';
    else if (validationErrors.length > 0)
      nextBlocked = `Fix the ${validationErrors.length} error${
        validationErrors.length === 1 ? '' : 's'
      } first: errors block applying.`;
  }

  let body;
  if (step >= steps.length) {
    const result = model.apply.value!;
    body = (
      <Box display="flex" flexDirection="column" gridGap={8}>
        <Alert severity="success" role="status">
          {editing ? 'Updated' : 'Created'}{' '}
          {kind === 'route' ? 'route' : 'provider'} {result.bundle.name}{' '}
          (revision {result.revision}) in cluster {result.bundle.cluster}.
        </Alert>
        {result.warnings.length > 0 && (
          <FindingsList findings={result.warnings} label="Warnings" />
        )}
      </Box>
    );
  } else if (name === 'Choose provider') {
    body = <ChooseProvider model={model} />;
  } else if (name === 'Details') {
    body = (
      <>
        {model.reloaded && (
          <Alert severity="info">
            Reloaded: the form now shows the bundle as it is in the cluster.
            Make your changes again.
          </Alert>
        )}
        <DetailsStep {...props} model={model} />
      </>
    );
  } else if (name === 'YAML preview') {
    body = (
      <CallView
        state={model.preview}
        busy="Building the YAML…"
        errorTitle="The input is not valid yet"
      >
        {yaml => (
          <YamlPreview yaml={yaml} fileName={fileName} label="YAML preview" />
        )}
      </CallView>
    );
  } else if (name === 'Validation') {
    body = (
      <CallView
        state={model.validation}
        busy="Validating…"
        errorTitle="Could not validate"
      >
        {v => (
          <Box display="flex" flexDirection="column" gridGap={8}>
            <GatewayVerdict result={v} />
            {v.findings.length > 0 && (
              <FindingsList findings={v.findings} label="Validation findings" />
            )}
            <Typography variant="caption" color="textSecondary">
              Rules: {v.layers.rules} · Schema: {v.layers.schema} · Dry run:{' '}
              {v.layers.dryRun}
            </Typography>
          </Box>
        )}
      </CallView>
    );
  } else {
    const conflict =
      model.apply.error && errorStatus(model.apply.error) === 409;
    body = (
      <Box display="flex" flexDirection="column" gridGap={8}>
        {model.validation.value && (
          <GatewayVerdict result={model.validation.value} />
        )}
        {editing && (
          <CallView
            state={model.diff}
            busy="Comparing with the live objects…"
            errorTitle="Could not compute the changes"
          >
            {diff => <DiffView diff={diff} />}
          </CallView>
        )}
        {applyBlocked ? (
          <Alert severity="warning" role="status">
            {applyBlocked}
          </Alert>
        ) : (
          <Typography variant="body2">
            Applying runs the API server's dry run for every object first;
            nothing is changed if anything is refused.
          </Typography>
        )}
        {model.apply.error && (
          <GatewayErrorAlert
            title={conflict ? 'Not applied: conflict' : 'Not applied'}
            error={model.apply.error}
            action={
              conflict && editing ? (
                <Button
                  color="inherit"
                  size="small"
                  onClick={async () => {
                    await model.reload();
                    setStep(steps.indexOf('Details'));
                  }}
                >
                  Reload
                </Button>
              ) : undefined
            }
          />
        )}
        <Box display="flex" gridGap={8}>
          <Button
            variant="outlined"
            onClick={() =>
              model.preview.value && downloadText(fileName, model.preview.value)
            }
            disabled={!model.preview.value}
          >
            Download YAML
          </Button>
          <GuardedButton
            variant="contained"
            color="primary"
            onClick={applyNow}
            disabledReason={
              applyBlocked ??
              permission.reason ??
              (model.apply.loading ? 'Applying…' : undefined)
            }
          >
            {editing ? 'Apply changes' : 'Apply'}
          </GuardedButton>
        </Box>
      </Box>
    );
  }

  const title = wizardTitle(kind, editing);
  return (
    <InfoCard title={title} titleTypographyProps={{ component: 'h3' }}>
      <Box component="section" aria-label={title} data-testid="gateway-wizard">
        <Stepper activeStep={step} alternativeLabel>
          {steps.map(label => (
            <Step key={label}>
              <StepLabel>{label}</StepLabel>
            </Step>
          ))}
        </Stepper>
        <Box my={2}>{body}</Box>
        <Box display="flex" gridGap={8} justifyContent="flex-end">
          {step >= steps.length ? (
            <Button variant="contained" color="primary" onClick={onClose}>
              Close
            </Button>
          ) : (
            <>
              <Button onClick={onClose}>Cancel</Button>
              <Button disabled={step === 0} onClick={() => setStep(step - 1)}>
                Back
              </Button>
              {step < steps.length - 1 && (
                <GuardedButton
                  variant="contained"
                  color="primary"
                  onClick={next}
                  disabledReason={nextBlocked}
                >
                  Next
                </GuardedButton>
              )}
            </>
          )}
        </Box>
      </Box>
    </InfoCard>
  );
}
