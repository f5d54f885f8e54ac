import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../../__testUtils__/exampleEntities';

/*
 * A Docker engine of its own, for tests that stop, kill and restart it while
 * instances run: its own data root, exec root, socket, pid file and bridge,
 * and no iptables rules, so the engine every other test uses never notices.
 * Started and stopped with scripts/lib/dockerd.sh; needs root, dockerd and
 * ip (scripts/bootstrap.sh installs them). Its data root is kept between
 * runs, so the base image and the examples' images are built once.
 */

const run = promisify(execFile);

const DIR = '/run/backstage-runner-restart';
const BRIDGE = 'runner-rst0';
/** A /24 no default Docker network uses (those start at 172.17.0.0/16). */
const BRIDGE_ADDRESS = '172.30.251.1/24';

export class DedicatedEngine {
  readonly socketPath = path.join(DIR, 'docker.sock');
  readonly host = `unix://${this.socketPath}`;

  /** Creates the bridge if needed, starts the engine unless it answers, empties it, builds the base image. */
  async start(): Promise<void> {
    await this.bash(`
      if ! ip link show ${BRIDGE} >/dev/null 2>&1; then
        ip link add ${BRIDGE} type bridge
        ip addr add ${BRIDGE_ADDRESS} dev ${BRIDGE}
      fi
      ip link set ${BRIDGE} up
      export DOCKER_HOST=${this.host}
      docker_answers || start_dockerd
      # Nobody else uses this engine: what an earlier run left behind goes.
      docker ps -aq | xargs -r docker rm -f >/dev/null
      build_base_images >/dev/null
    `);
  }

  /** SIGTERM, as `systemctl restart docker` does: the engine stops its containers on the way down. */
  restart(): Promise<void> {
    return this.bash('stop_dockerd && start_dockerd');
  }

  /** SIGKILL, as a crash: the engine restores (and stops) its containers when it starts again. */
  killAndStart(): Promise<void> {
    return this.bash('kill_dockerd && start_dockerd');
  }

  async stop(): Promise<void> {
    await this.bash(
      `stop_dockerd || true; ip link del ${BRIDGE} 2>/dev/null || true`,
    );
  }

  private async bash(script: string): Promise<void> {
    const lib = path.join(repoRoot(), 'scripts', 'lib');
    await run(
      'bash',
      [
        '-c',
        `set -eo pipefail; source "${lib}/dockerd.sh"; source "${lib}/base-images.sh"; ${script}`,
      ],
      {
        timeout: 180_000,
        env: {
          ...process.env,
          DOCKER_HOST: this.host,
          RUNNER_DOCKERD_DIR: DIR,
          RUNNER_DOCKERD_DATA: '/var/lib/backstage-runner/docker-restart',
          RUNNER_DOCKERD_LOG: '/var/log/backstage-runner/dockerd-restart.log',
          RUNNER_DOCKERD_FLAGS: `--bridge=${BRIDGE} --iptables=false --ip6tables=false`,
        },
      },
    );
  }
}
