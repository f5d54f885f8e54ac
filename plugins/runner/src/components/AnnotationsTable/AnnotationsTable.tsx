import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import type { Entity } from '@backstage/catalog-model';

/** One catalog annotation to show, with what applies when it is absent. */
export interface AnnotationRow {
  label: string;
  annotation: string;
  /** Shown when the annotation is absent, e.g. the backend default. */
  fallback?: string;
}

/**
 * The values of the given annotations on an entity, as a small two-column
 * table, so that a user can see what the runner will act on without reading
 * catalog-info.yaml. The annotation key is shown too so that a user knows
 * what to edit.
 */
export function AnnotationsTable(props: {
  entity: Entity;
  rows: AnnotationRow[];
  'aria-label': string;
}) {
  const { entity, rows } = props;
  const annotations = entity.metadata.annotations ?? {};

  return (
    <Table size="small" aria-label={props['aria-label']}>
      <TableBody>
        {rows.map(row => {
          const value = annotations[row.annotation];
          return (
            <TableRow key={row.annotation}>
              <TableCell component="th" scope="row">
                <Typography variant="body2">{row.label}</Typography>
                <Typography variant="caption" color="textSecondary">
                  {row.annotation}
                </Typography>
              </TableCell>
              <TableCell>
                {value ? (
                  <Typography variant="body2">
                    <code>{value}</code>
                  </Typography>
                ) : (
                  <Typography variant="body2" color="textSecondary">
                    {row.fallback ?? 'Not set'}
                  </Typography>
                )}
              </TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}
