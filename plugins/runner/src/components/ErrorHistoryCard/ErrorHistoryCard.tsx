import { useId, useState, type ChangeEvent } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import MuiAlert from '@material-ui/lab/Alert';
import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import {
  ERROR_CATEGORIES,
  ERROR_CATEGORY_DESCRIPTIONS,
  ERROR_CODE_TABLE,
  type ErrorCategory,
  type ErrorCode,
  type ErrorSeverity,
} from '@internal/plugin-runner-common';
import {
  ERROR_PAGE_SIZE,
  useErrorHistory,
  type ErrorFilters,
} from '../../hooks/useErrorHistory';
import { errorMessage } from '../../lib/format';
import { ErrorHistoryTable } from '../ErrorHistoryTable';

// Typed as ErrorSeverity so that a change of the taxonomy fails to compile.
const SEVERITIES: ErrorSeverity[] = ['critical', 'high', 'medium', 'low'];

const useStyles = makeStyles(theme => ({
  filters: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'flex-start',
    gap: theme.spacing(2),
    marginBottom: theme.spacing(2),
  },
  select: { minWidth: 180 },
  categoryHelp: { maxWidth: 360 },
}));

/** One filter as a native select: keyboard and screen readers know it. */
function FilterSelect(props: {
  label: string;
  value: string;
  allLabel: string;
  options: Array<{ value: string; label: string }>;
  onChange: (value: string) => void;
  helperText?: string;
}) {
  const classes = useStyles();
  // TextField ties its label to the select only through an id.
  const id = useId();
  return (
    <TextField
      id={id}
      select
      label={props.label}
      value={props.value}
      onChange={(e: ChangeEvent<HTMLInputElement>) =>
        props.onChange(e.target.value)
      }
      SelectProps={{ native: true }}
      InputLabelProps={{ shrink: true }}
      variant="outlined"
      size="small"
      className={classes.select}
      helperText={props.helperText}
      FormHelperTextProps={{ className: classes.categoryHelp }}
    >
      <option value="">{props.allLabel}</option>
      {props.options.map(o => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </TextField>
  );
}

export interface ErrorHistoryCardProps {
  entityRef: string;
  entityName: string;
  links: { runner: boolean; gateway: boolean };
}

/**
 * The entity's categorized error history with filters by category, code
 * and severity, and "Load more" through the backend's cursor.
 */
export function ErrorHistoryCard(props: ErrorHistoryCardProps) {
  const { entityRef, entityName, links } = props;
  const classes = useStyles();
  const [filters, setFilters] = useState<ErrorFilters>({});
  const history = useErrorHistory(entityRef, filters);
  const filtered = Boolean(
    filters.category || filters.code || filters.severity,
  );

  // Codes of the chosen category only: a code of another category would
  // match nothing.
  const codes = ERROR_CODE_TABLE.filter(
    row => !filters.category || row.category === filters.category,
  );

  const filterBar = (
    <div className={classes.filters} role="group" aria-label="Filter errors">
      <FilterSelect
        label="Category"
        allLabel="All categories"
        value={filters.category ?? ''}
        options={ERROR_CATEGORIES.map(c => ({ value: c, label: c }))}
        helperText={
          filters.category
            ? ERROR_CATEGORY_DESCRIPTIONS[filters.category]
            : undefined
        }
        onChange={value => {
          const category = (value || undefined) as ErrorCategory | undefined;
          setFilters(f => ({
            ...f,
            category,
            // Keep a chosen code only if it belongs to the new category.
            code:
              f.code &&
              ERROR_CODE_TABLE.some(
                r => r.code === f.code && (!category || r.category === category),
              )
                ? f.code
                : undefined,
          }));
        }}
      />
      <FilterSelect
        label="Code"
        allLabel="All codes"
        value={filters.code ?? ''}
        options={codes.map(r => ({ value: r.code, label: r.code }))}
        onChange={value =>
          setFilters(f => ({
            ...f,
            code: (value || undefined) as ErrorCode | undefined,
          }))
        }
      />
      <FilterSelect
        label="Severity"
        allLabel="All severities"
        value={filters.severity ?? ''}
        options={SEVERITIES.map(s => ({ value: s, label: s }))}
        onChange={value =>
          setFilters(f => ({
            ...f,
            severity: (value || undefined) as ErrorSeverity | undefined,
          }))
        }
      />
      {filtered && (
        <Button
          size="small"
          onClick={() => setFilters({})}
          aria-label="Clear the error filters"
        >
          Clear filters
        </Button>
      )}
    </div>
  );

  let body;
  if (history.error) {
    body = (
      <>
        <ResponseErrorPanel
          title="Could not read the error history"
          error={history.error}
        />
        <Box mt={1}>
          <Button
            variant="outlined"
            size="small"
            onClick={history.refresh}
            aria-label="Load the error history again"
          >
            Try again
          </Button>
        </Box>
      </>
    );
  } else if (!history.loaded) {
    body = <Progress aria-label="Loading the error history" />;
  } else if (history.items.length === 0) {
    body = filtered ? (
      <EmptyState
        missing="info"
        title="No errors match these filters"
        description="Try another category, code or severity, or clear the filters."
      />
    ) : (
      <EmptyState
        missing="info"
        title="No errors recorded"
        description={`Build, run and gateway errors of ${entityName} will be listed here with their category and what to do about them.`}
      />
    );
  } else {
    body = (
      <>
        <ErrorHistoryTable
          items={history.items}
          entityName={entityName}
          links={links}
        />
        <Box mt={2} display="flex" alignItems="center" gridGap={16}>
          {history.hasMore && (
            <Button
              variant="outlined"
              size="small"
              disabled={history.loadingMore}
              onClick={history.loadMore}
              aria-label="Load more errors"
            >
              {history.loadingMore ? 'Loading…' : 'Load more'}
            </Button>
          )}
          <Typography variant="caption" color="textSecondary">
            {history.items.length} error{history.items.length === 1 ? '' : 's'}{' '}
            shown{history.hasMore ? `, ${ERROR_PAGE_SIZE} more per page` : ''}
          </Typography>
        </Box>
        {history.moreError && (
          <Box mt={1}>
            <MuiAlert severity="error">
              Could not load more errors: {errorMessage(history.moreError)}
            </MuiAlert>
          </Box>
        )}
      </>
    );
  }

  return (
    <InfoCard
      title="Error history"
      titleTypographyProps={{ component: 'h3' }}
      subheader="Categorized failures of builds, runs and gateway changes, newest first"
    >
      {filterBar}
      {history.refreshError && (
        <Box mb={2}>
          <MuiAlert severity="warning">
            Could not check for new errors: {errorMessage(history.refreshError)}
          </MuiAlert>
        </Box>
      )}
      {body}
    </InfoCard>
  );
}
