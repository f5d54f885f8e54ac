import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { testClusterEnv } from './testCluster';

/*
 * A second kube-apiserver of the test's own, on the shared cluster's etcd
 * and PKI but another port, so a test can stop and restart an API server
 * without disturbing the suites that run in parallel against the shared
 * one. The flags are those of start_cluster in scripts/lib/kubernetes.sh
 * (kubelet client flags left out: this one never talks to the node), so
 * everything the shared server serves — CRDs, RBAC, tokens — this one serves
 * too. Only for the local cluster: the binaries and keys must be here.
 */

export interface ApiServerProcess {
  /** `https://127.0.0.1:<port>`. */
  url: string;
  port: number;
  readonly running: boolean;
  /** SIGTERM, then SIGKILL after 3 s. */
  stop(): Promise<void>;
  /** Stops (if running) and starts again on the same port, waiting for /readyz. */
  restart(): Promise<void>;
}

function localCluster() {
  const env = testClusterEnv();
  if (!env?.kubectl || !env.etcdUrl) {
    throw new Error(
      'a second API server needs the local cluster (RUNNER_TEST_KUBECTL, RUNNER_TEST_ETCD_URL): scripts/cluster.sh start',
    );
  }
  const pki = path.join(path.dirname(env.kubeconfigPath), 'pki');
  return { bin: path.dirname(env.kubectl), pki, etcdUrl: env.etcdUrl };
}

/** A port on 127.0.0.1 that nothing listens on (just now). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise(resolve => server.close(resolve));
  return port;
}

function readyz(port: number, pki: string): Promise<boolean> {
  return new Promise(resolve => {
    const req = https.get(
      {
        host: '127.0.0.1',
        port,
        path: '/readyz',
        ca: fs.readFileSync(path.join(pki, 'ca.crt')),
        cert: fs.readFileSync(path.join(pki, 'admin.crt')),
        key: fs.readFileSync(path.join(pki, 'admin.key')),
        timeout: 2000,
      },
      res => {
        res.resume();
        resolve(res.statusCode === 200);
      },
    );
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
  });
}

/** `extraArgs`, e.g. `--watch-cache=false`, go after the shared server's flags. */
export async function startApiServer(
  extraArgs: string[] = [],
): Promise<ApiServerProcess> {
  const { bin, pki, etcdUrl } = localCluster();
  const port = await freePort();
  const logFile = path.join(os.tmpdir(), `runner-test-apiserver-${port}.log`);
  const args = [
    '--etcd-servers', etcdUrl,
    '--bind-address', '127.0.0.1',
    '--secure-port', String(port),
    '--advertise-address', '10.244.0.1',
    '--tls-cert-file', path.join(pki, 'apiserver.crt'),
    '--tls-private-key-file', path.join(pki, 'apiserver.key'),
    '--client-ca-file', path.join(pki, 'ca.crt'),
    '--service-account-key-file', path.join(pki, 'sa.pub'),
    '--service-account-signing-key-file', path.join(pki, 'sa.key'),
    '--service-account-issuer', 'https://kubernetes.default.svc',
    '--service-cluster-ip-range', '10.96.0.0/24',
    '--authorization-mode', 'Node,RBAC',
    '--enable-admission-plugins', 'NodeRestriction,ResourceQuota,LimitRanger',
    '--allow-privileged=false',
    '--profiling=false',
    '--endpoint-reconciler-type', 'none',
    ...extraArgs,
  ]; // prettier-ignore
  let child: ChildProcess | undefined;

  const start = async () => {
    const log = fs.openSync(logFile, 'a');
    child = spawn(path.join(bin, 'kube-apiserver'), args, {
      stdio: ['ignore', log, log],
    });
    fs.closeSync(log);
    const deadline = Date.now() + 60_000;
    while (!(await readyz(port, pki))) {
      if (child.exitCode !== null || Date.now() > deadline) {
        throw new Error(
          `the test's kube-apiserver on port ${port} did not become ready (log: ${logFile})`,
        );
      }
      await new Promise(r => setTimeout(r, 250));
    }
  };

  const stop = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise(resolve => running.once('exit', resolve));
    // SIGTERM, then SIGKILL after 3 s as a crash would: a terminating API
    // server drains long-running requests for longer than a test can wait.
    running.kill('SIGTERM');
    const timer = setTimeout(() => running.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  };

  await start();
  return {
    url: `https://127.0.0.1:${port}`,
    port,
    get running() {
      return !!child && child.exitCode === null;
    },
    stop,
    async restart() {
      await stop();
      await start();
    },
  };
}
