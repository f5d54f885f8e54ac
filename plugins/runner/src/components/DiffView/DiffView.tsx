import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import type { GatewayDiffResponse } from '@internal/plugin-runner-common';

function show(value: unknown): string {
  if (value === undefined) return '—';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** What applying would change, per object and field, against the live objects. */
export function DiffView(props: { diff: GatewayDiffResponse }) {
  const { diff } = props;
  return (
    <Box display="flex" flexDirection="column" gridGap={8}>
      {!diff.againstLive && (
        <Typography variant="body2" role="status">
          {diff.message ??
            'Compared against nothing: no cluster to read the live objects from.'}
        </Typography>
      )}
      <Table size="small" aria-label="Changes against the live objects">
        <TableHead>
          <TableRow>
            <TableCell>Object</TableCell>
            <TableCell>Action</TableCell>
            <TableCell>Field</TableCell>
            <TableCell>Before</TableCell>
            <TableCell>After</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {diff.objects.map(object => {
            const name = `${object.object.kind} ${object.object.name ?? ''}`;
            const changes =
              object.changes.length > 0 ? object.changes : [undefined];
            return changes.map((change, i) => (
              <TableRow key={`${name}-${i}`} data-testid="diff-row">
                <TableCell>{i === 0 ? name : ''}</TableCell>
                <TableCell>{i === 0 ? object.action : ''}</TableCell>
                <TableCell>
                  {change ? (
                    <>
                      <code>{change.path}</code> ({change.op})
                    </>
                  ) : (
                    '—'
                  )}
                </TableCell>
                <TableCell>
                  <code>{change ? show(change.before) : ''}</code>
                </TableCell>
                <TableCell>
                  <code>{change ? show(change.after) : ''}</code>
                </TableCell>
              </TableRow>
            ));
          })}
        </TableBody>
      </Table>
    </Box>
  );
}
