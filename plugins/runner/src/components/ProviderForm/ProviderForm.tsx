import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import IconButton from '@material-ui/core/IconButton';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import AddIcon from '@material-ui/icons/Add';
import DeleteIcon from '@material-ui/icons/Delete';
import Alert from '@material-ui/lab/Alert';
import type { ProviderFormState } from '../../lib/gatewayInput';
import {
  credentialVariants,
  describe,
  providerFields,
  type SchemaField,
} from '../../lib/templateSchema';

export interface ProviderFormProps {
  /** The template's input JSON Schema. */
  inputSchema: Record<string, unknown>;
  title: string;
  state: ProviderFormState;
  onChange: (next: ProviderFormState) => void;
  /** Editing a live bundle: the name is fixed, empty credentials keep the current ones. */
  editing?: boolean;
  /** The entity's gateway-parent annotation, used when the field is left empty. */
  defaultParent?: string;
}

/**
 * The input of a provider template. Common fields (name, parent, models,
 * host names, timeouts) are laid out by hand; the provider's own fields and
 * its credential types come from the template's JSON Schema. Credential
 * inputs are password fields: what is typed is sent once and never shown.
 */
export function ProviderForm(props: ProviderFormProps) {
  const { inputSchema, title, state, onChange, editing, defaultParent } = props;
  const variants = credentialVariants(inputSchema);
  const variant = variants.find(v => v.type === state.credentialType);
  const set = (patch: Partial<ProviderFormState>) =>
    onChange({ ...state, ...patch });

  const helperFor = (field: SchemaField) => {
    if (!field.secret) return field.description;
    return editing
      ? 'Leave empty to keep the current value'
      : 'Write-only: stored in a Secret, never shown again';
  };

  const textField = (
    field: SchemaField,
    value: string,
    onValue: (v: string) => void,
    idPrefix: string,
  ) => (
    <TextField
      key={`${idPrefix}${field.path}`}
      id={`${idPrefix}${field.path}`}
      label={field.label}
      value={value}
      required={field.required && !(editing && field.secret)}
      type={field.secret ? 'password' : 'text'}
      autoComplete={field.secret ? 'new-password' : 'off'}
      helperText={helperFor(field)}
      onChange={e => onValue(e.target.value)}
      fullWidth
      margin="dense"
      variant="outlined"
    />
  );

  return (
    <Box
      component="fieldset"
      border={0}
      p={0}
      m={0}
      aria-label={`${title} provider details`}
    >
      <TextField
        id="provider-name"
        label="Name"
        value={state.name}
        required
        disabled={editing}
        helperText={
          describe(inputSchema, 'name') ?? 'Prefix of every object name'
        }
        onChange={e => set({ name: e.target.value })}
        fullWidth
        margin="dense"
        variant="outlined"
      />
      <TextField
        id="provider-parent"
        label="Parent Gateway"
        value={state.parentGateway}
        required={!defaultParent}
        placeholder={defaultParent}
        helperText={
          defaultParent
            ? `namespace/name; empty: ${defaultParent} (from the entity's annotation)`
            : 'namespace/name of the Gateway the route attaches to'
        }
        onChange={e => set({ parentGateway: e.target.value })}
        fullWidth
        margin="dense"
        variant="outlined"
      />
      {providerFields(inputSchema).map(field =>
        textField(
          field,
          state.fields[field.path] ?? '',
          v => set({ fields: { ...state.fields, [field.path]: v } }),
          'provider-field-',
        ),
      )}
      <Typography variant="subtitle2" component="h4" style={{ marginTop: 16 }}>
        Models
      </Typography>
      {state.models.map((model, i) => (
        <Box key={i} display="flex" gridGap={8} alignItems="center">
          <TextField
            id={`provider-model-${i}`}
            label={`Model ${i + 1}`}
            value={model.name}
            required={i === 0}
            helperText="Value of the x-ai-eg-model header"
            onChange={e => {
              const models = [...state.models];
              models[i] = { ...model, name: e.target.value };
              set({ models });
            }}
            margin="dense"
            variant="outlined"
          />
          <TextField
            id={`provider-model-override-${i}`}
            label={`Provider model name for model ${i + 1}`}
            value={model.modelNameOverride}
            helperText="Optional: sent to the provider instead"
            onChange={e => {
              const models = [...state.models];
              models[i] = { ...model, modelNameOverride: e.target.value };
              set({ models });
            }}
            margin="dense"
            variant="outlined"
          />
          <IconButton
            aria-label={`Remove model ${i + 1}`}
            disabled={state.models.length === 1}
            onClick={() =>
              set({ models: state.models.filter((_, j) => j !== i) })
            }
          >
            <DeleteIcon />
          </IconButton>
        </Box>
      ))}
      <Button
        size="small"
        startIcon={<AddIcon />}
        onClick={() =>
          set({
            models: [...state.models, { name: '', modelNameOverride: '' }],
          })
        }
      >
        Add model
      </Button>
      <TextField
        id="provider-hostnames"
        label="Host names"
        value={state.hostnames}
        helperText={`${
          describe(inputSchema, 'hostnames') ?? 'Host names'
        }; separate with commas`}
        onChange={e => set({ hostnames: e.target.value })}
        fullWidth
        margin="dense"
        variant="outlined"
      />
      <Box display="flex" gridGap={8}>
        <TextField
          id="provider-timeout-request"
          label="Request timeout"
          value={state.timeoutRequest}
          placeholder="60s"
          helperText="Whole request, e.g. 60s or 1m30s"
          onChange={e => set({ timeoutRequest: e.target.value })}
          margin="dense"
          variant="outlined"
        />
        <TextField
          id="provider-timeout-backend"
          label="Backend request timeout"
          value={state.timeoutBackendRequest}
          helperText="One request to the provider"
          onChange={e => set({ timeoutBackendRequest: e.target.value })}
          margin="dense"
          variant="outlined"
        />
      </Box>
      <Typography variant="subtitle2" component="h4" style={{ marginTop: 16 }}>
        Credentials
      </Typography>
      {editing && (
        <Alert severity="info">
          Credential values are never shown. Leave them empty to keep the ones
          the cluster has; type new ones to replace them.
        </Alert>
      )}
      {variants.length > 1 && (
        <TextField
          id="provider-credential-type"
          select
          label="Credential type"
          value={state.credentialType}
          onChange={e =>
            set({ credentialType: e.target.value, credentials: {} })
          }
          fullWidth
          margin="dense"
          variant="outlined"
        >
          {variants.map(v => (
            <MenuItem key={v.type} value={v.type}>
              {v.label}
            </MenuItem>
          ))}
        </TextField>
      )}
      {variant?.fields.map(field =>
        textField(
          field,
          state.credentials[field.path] ?? '',
          v => set({ credentials: { ...state.credentials, [field.path]: v } }),
          'provider-credential-',
        ),
      )}
    </Box>
  );
}
