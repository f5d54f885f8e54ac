import { testClusterEnv } from './testCluster';

/*
 * etcd's JSON gateway, for the one fault only etcd can cause: compaction,
 * after which a watch from an older revision is answered 410 Gone by an API
 * server that serves watches from etcd.
 */

function etcdUrl(): string {
  const url = testClusterEnv()?.etcdUrl;
  if (!url) {
    throw new Error(
      'compaction needs the local cluster (RUNNER_TEST_ETCD_URL): scripts/cluster.sh start',
    );
  }
  return url;
}

async function post(path: string, body: unknown): Promise<any> {
  const res = await fetch(`${etcdUrl()}${path}`, {
    method: 'POST',
    body: JSON.stringify(body),
  });
  if (!res.ok)
    throw new Error(`etcd ${path}: HTTP ${res.status} ${await res.text()}`);
  return res.json();
}

/** etcd's current revision (every resourceVersion the API server issues is one). */
export async function etcdRevision(): Promise<number> {
  const range = await post('/v3/kv/range', {
    key: Buffer.from('/registry/').toString('base64'),
    limit: 1,
  });
  return Number(range.header.revision);
}

/** Compacts etcd's history up to now; returns the revision compacted at. */
export async function compactEtcd(): Promise<number> {
  const revision = await etcdRevision();
  await post('/v3/kv/compaction', {
    revision: String(revision),
    physical: true,
  });
  return revision;
}
