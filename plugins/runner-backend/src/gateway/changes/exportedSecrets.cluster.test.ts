import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import {
  createTestNamespace,
  describeWithCluster,
  testClusterEnv,
} from '../../kubernetes/__testUtils__/testCluster';
import {
  gatewayEntity,
  startGatewayBackend,
  type GatewayBackend,
} from '../__testUtils__/gatewayBackend';
import { SECRETS, openAIInput } from '../__testUtils__/templateInputs';
import { SECRET_PLACEHOLDER } from './exportedSecrets';

/*
 * The wizard's download (POST …/gateway/export, which needs no cluster)
 * against the real API server with kubectl, as a user without the plugin's
 * cluster would use it: applied unfilled it is refused, with the Secret
 * named; filled in as its comment says, or with the Secret created by the
 * comment's command instead, it is accepted.
 */

jest.setTimeout(60_000);

const run = promisify(execFile);

describeWithCluster('a downloaded bundle on the real API server', () => {
  let backend: GatewayBackend;
  let namespace: { name: string; remove: () => Promise<void> };
  let dir: string;
  const env = testClusterEnv()!;

  /** kubectl as the cluster's admin: exit code and output, never a throw. */
  async function kubectl(...args: string[]) {
    try {
      const { stdout, stderr } = await run(env.kubectl ?? 'kubectl', [
        '--kubeconfig',
        env.kubeconfigPath,
        ...args,
      ]);
      return { code: 0, out: stdout + stderr };
    } catch (error: any) {
      return {
        code: error.code as number,
        out: `${error.stdout}${error.stderr}`,
      };
    }
  }

  const applyDryRun = async (yaml: string) => {
    const file = path.join(dir, `bundle-${Date.now()}.yaml`);
    fs.writeFileSync(file, yaml);
    return kubectl('apply', '--dry-run=server', '-f', file);
  };

  beforeAll(async () => {
    namespace = await createTestNamespace('download');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runner-download-'));
    backend = await startGatewayBackend({
      clusters: [],
      entities: [gatewayEntity('hello-http', namespace.name)],
    });
  });

  afterAll(async () => {
    await namespace?.remove();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('is refused unfilled, and accepted once filled in or with the Secret created by its command', async () => {
    const download = await request(backend.server)
      .post('/api/runner/entities/component/default/hello-http/gateway/export')
      .send({
        template: 'openai',
        input: { ...openAIInput, namespace: undefined, entityRef: undefined },
      });
    expect(download.status).toBe(200);
    const yaml: string = download.text;
    expect(yaml).not.toContain(SECRETS.openaiKey);
    const secretName = /^kind: Secret\nmetadata:\n {2}name: (\S+)/m.exec(
      yaml,
    )?.[1];
    expect(secretName).toBeDefined();

    const unfilled = await applyDryRun(yaml);
    expect(unfilled.code).not.toBe(0);
    // The Secret is refused; the objects that only name it are not.
    expect(unfilled.out).toContain(
      'Secret in version "v1" cannot be handled as a Secret: illegal base64 data',
    );
    expect(unfilled.out).not.toContain(`secret/${secretName}`);

    // Filled in as the comment says: every object passes the API server.
    const value = Buffer.from('sk-filled-in').toString('base64');
    const filled = await applyDryRun(
      yaml.split(SECRET_PLACEHOLDER).join(value),
    );
    expect(filled.out).toContain(
      `secret/${secretName} created (server dry run)`,
    );
    expect(filled.code).toBe(0);

    // Or the Secret from the comment's command, and the file without it.
    const create = /^# {3}(kubectl create secret generic .*)$/m.exec(yaml)![1];
    const args = create
      .replace(/^kubectl /, '')
      .replace(`'<apiKey>'`, 'sk-from-the-command')
      .split(' ');
    const created = await kubectl(...args, '--dry-run=server');
    expect(created.out).toContain(
      `secret/${secretName} created (server dry run)`,
    );
    const withoutSecret = yaml
      .split(/^---$/m)
      .filter(doc => !/^kind: Secret$/m.test(doc))
      .join('---');
    expect((await applyDryRun(withoutSecret)).code).toBe(0);
  });
});
