import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import IconButton from '@material-ui/core/IconButton';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import AddIcon from '@material-ui/icons/Add';
import DeleteIcon from '@material-ui/icons/Delete';
import {
  emptyBackend,
  emptyRule,
  type RouteFormState,
  type RuleRow,
} from '../../lib/gatewayInput';

export interface RouteFormProps {
  state: RouteFormState;
  onChange: (next: RouteFormState) => void;
  editing?: boolean;
  defaultParent?: string;
  /** Suggested Service name for new backends (the entity's name). */
  serviceName: string;
}

const PATH_TYPES: RuleRow['pathType'][] = [
  'PathPrefix',
  'Exact',
  'RegularExpression',
];

/**
 * The input of the HTTPRoute template: host names, and rules of a path
 * match, weighted Service backends and timeouts.
 */
export function RouteForm(props: RouteFormProps) {
  const { state, onChange, editing, defaultParent, serviceName } = props;
  const set = (patch: Partial<RouteFormState>) =>
    onChange({ ...state, ...patch });
  const setRule = (i: number, patch: Partial<RuleRow>) => {
    const rules = [...state.rules];
    rules[i] = { ...rules[i], ...patch };
    set({ rules });
  };
  const field = {
    margin: 'dense' as const,
    variant: 'outlined' as const,
  };

  return (
    <Box
      component="fieldset"
      border={0}
      p={0}
      m={0}
      aria-label="HTTPRoute details"
    >
      <TextField
        {...field}
        id="route-name"
        label="Name"
        value={state.name}
        required
        disabled={editing}
        helperText="Name of the HTTPRoute: lowercase letters, digits and -"
        onChange={e => set({ name: e.target.value })}
        fullWidth
      />
      <TextField
        {...field}
        id="route-parent"
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
      />
      <TextField
        {...field}
        id="route-hostnames"
        label="Host names"
        value={state.hostnames}
        helperText="e.g. shop.example.com, *.example.com; separate with commas"
        onChange={e => set({ hostnames: e.target.value })}
        fullWidth
      />
      {state.rules.map((rule, i) => (
        <Box
          key={i}
          mt={2}
          p={1}
          border={1}
          borderColor="divider"
          borderRadius={4}
          role="group"
          aria-label={`Rule ${i + 1}`}
        >
          <Box
            display="flex"
            alignItems="center"
            justifyContent="space-between"
          >
            <Typography variant="subtitle2" component="h4">
              Rule {i + 1}
            </Typography>
            <IconButton
              aria-label={`Remove rule ${i + 1}`}
              disabled={state.rules.length === 1}
              onClick={() =>
                set({ rules: state.rules.filter((_, j) => j !== i) })
              }
            >
              <DeleteIcon />
            </IconButton>
          </Box>
          <Box display="flex" gridGap={8}>
            <TextField
              {...field}
              id={`route-rule-${i}-path-type`}
              select
              label={`Rule ${i + 1} path match`}
              value={rule.pathType}
              onChange={e =>
                setRule(i, { pathType: e.target.value as RuleRow['pathType'] })
              }
            >
              {PATH_TYPES.map(t => (
                <MenuItem key={t} value={t}>
                  {t}
                </MenuItem>
              ))}
            </TextField>
            <TextField
              {...field}
              id={`route-rule-${i}-path`}
              label={`Rule ${i + 1} path`}
              value={rule.pathValue}
              helperText="Empty: every request"
              onChange={e => setRule(i, { pathValue: e.target.value })}
            />
          </Box>
          {rule.backends.map((backend, b) => {
            const setBackend = (patch: Partial<typeof backend>) => {
              const backends = [...rule.backends];
              backends[b] = { ...backend, ...patch };
              setRule(i, { backends });
            };
            const name = `Rule ${i + 1} backend ${b + 1}`;
            return (
              <Box key={b} display="flex" gridGap={8} alignItems="center">
                <TextField
                  {...field}
                  id={`route-rule-${i}-backend-${b}-service`}
                  label={`${name} Service`}
                  value={backend.serviceName}
                  required
                  onChange={e => setBackend({ serviceName: e.target.value })}
                />
                <TextField
                  {...field}
                  id={`route-rule-${i}-backend-${b}-port`}
                  label={`${name} port`}
                  value={backend.port}
                  required
                  inputProps={{ inputMode: 'numeric' }}
                  onChange={e => setBackend({ port: e.target.value })}
                />
                <TextField
                  {...field}
                  id={`route-rule-${i}-backend-${b}-weight`}
                  label={`${name} weight`}
                  value={backend.weight}
                  placeholder="1"
                  inputProps={{ inputMode: 'numeric' }}
                  onChange={e => setBackend({ weight: e.target.value })}
                />
                <IconButton
                  aria-label={`Remove ${name.toLowerCase()}`}
                  disabled={rule.backends.length === 1}
                  onClick={() =>
                    setRule(i, {
                      backends: rule.backends.filter((_, j) => j !== b),
                    })
                  }
                >
                  <DeleteIcon />
                </IconButton>
              </Box>
            );
          })}
          <Button
            size="small"
            startIcon={<AddIcon />}
            onClick={() =>
              setRule(i, { backends: [...rule.backends, emptyBackend()] })
            }
          >
            Add backend
          </Button>
          <Box display="flex" gridGap={8}>
            <TextField
              {...field}
              id={`route-rule-${i}-timeout-request`}
              label={`Rule ${i + 1} request timeout`}
              value={rule.timeoutRequest}
              helperText="e.g. 30s"
              onChange={e => setRule(i, { timeoutRequest: e.target.value })}
            />
            <TextField
              {...field}
              id={`route-rule-${i}-timeout-backend`}
              label={`Rule ${i + 1} backend request timeout`}
              value={rule.timeoutBackendRequest}
              onChange={e =>
                setRule(i, { timeoutBackendRequest: e.target.value })
              }
            />
          </Box>
        </Box>
      ))}
      <Button
        size="small"
        startIcon={<AddIcon />}
        onClick={() => set({ rules: [...state.rules, emptyRule(serviceName)] })}
      >
        Add rule
      </Button>
    </Box>
  );
}
