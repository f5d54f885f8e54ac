import { classifyError } from './classifyError';
import { causeLines, commandOutput } from './failureStory';

/*
 * Messages that lead with the cause, on the output the real examples
 * produce (broken-build's tail is what dockerd's classic builder sent;
 * exits-early's what its script prints).
 */

const BROKEN_RUN =
  'echo "compiling broken-build..."  && if [ ! -f /app/app.conf ]; then       echo "error: missing file app.conf (expected at /app/app.conf; examples/sources/broken-build fails on purpose)" >&2;       exit 1;     fi';
const BROKEN_TAIL = [
  'Step 1/8 : FROM busybox:latest',
  ' ---> eabccd57391a',
  'Step 2/8 : COPY src/ /app/',
  ' ---> Using cache',
  ' ---> d325b4bbac5c',
  `Step 3/8 : RUN ${BROKEN_RUN}`,
  ' ---> Running in 45099833f65b',
  'compiling broken-build...',
  'error: missing file app.conf (expected at /app/app.conf; examples/sources/broken-build fails on purpose)',
  'Removing intermediate container 45099833f65b',
  `ERROR: The command '/bin/sh -c ${BROKEN_RUN}' returned a non-zero code: 1`,
];

function buildFailed(exit: number, logTail: string[], step?: string) {
  return Object.assign(
    new Error(
      `The command '/bin/sh -c ${BROKEN_RUN}' returned a non-zero code: ${exit}`,
    ),
    { name: 'BuildFailedError', step, logTail },
  );
}

function exited(exitCode: number, logTail: string[]) {
  return Object.assign(new Error(`container exited with code ${exitCode}`), {
    name: 'ContainerExitError',
    exitCode,
    oomKilled: false,
    logTail,
  });
}

describe('failure messages that lead with the cause', () => {
  it('broken-build: its stderr line first, the RUN command once, advice about the missing file', () => {
    const result = classifyError(buildFailed(1, BROKEN_TAIL, BROKEN_TAIL[5]), {
      operation: 'build',
      entityRef: 'component:default/broken-build',
    });
    expect(result.code).toBe('BUILD_STEP_FAILED');
    expect(result.userMessage).toBe(
      'error: missing file app.conf (expected at /app/app.conf; examples/sources/broken-build fails on purpose) — Step 3/8 (`RUN echo "compiling broken-build..." && if [ ! -f /app/app.…`) failed with exit code 1.',
    );
    expect(result.userMessage.split('compiling broken-build').length).toBe(2);
    expect(result.remediation).toMatch(
      /^Step 3\/8 needs `app\.conf`, which is not in the image when the step runs/,
    );
    expect(result.remediation).toContain('runner.backstage.io/dockerfile');
    expect(result.remediation).not.toContain('137');
    // The whole story stays in the detail.
    expect(result.detail).toContain('compiling broken-build...');
  });

  it.each([
    [137, /ran out of memory/],
    [127, /not in the image at that point/],
    [126, /not executable/],
  ])('a build step exiting %s gets advice for that code', (exit, advice) => {
    const result = classifyError(buildFailed(exit, [], 'Step 3/8 : RUN make'), {
      operation: 'build',
    });
    expect(result.userMessage).toMatch(
      new RegExp(
        `^Step 3/8 \\(\`RUN make\`\\) failed with exit code ${exit}\\.`,
      ),
    );
    expect(result.remediation).toMatch(advice);
  });

  it("exits-early: its last log line first, then the exit code, and advice for an application's own exit", () => {
    const result = classifyError(
      exited(3, [
        'exits-early: starting, will exit with code 3 after 5s',
        'exits-early: working (1/5)',
        'exits-early: working (5/5)',
        'exits-early: fatal: lost connection to the (imaginary) database, exiting with code 3',
      ]),
      { operation: 'run', image: 'backstage-runner/exits-early:abc' },
    );
    expect(result.code).toBe('CONTAINER_EXITED');
    expect(result.userMessage).toBe(
      "exits-early: fatal: lost connection to the (imaginary) database, exiting with code 3 — The container's process exited with code 3.",
    );
    expect(result.remediation).toBe(
      'The application ended itself with code 3 after printing the lines quoted: that is its own error. Fix what they say, in its code or in its configuration (`runner.backstage.io/env`, `runner.components`). Reproduce with `docker run --rm backstage-runner/exits-early:abc`, fix, and start again.',
    );
  });

  it('a silent exit and a clean exit say so', () => {
    expect(classifyError(exited(2, []), { operation: 'run' })).toMatchObject({
      userMessage: "The container's process exited with code 2.",
      remediation: expect.stringMatching(/without printing anything/),
    });
    expect(
      classifyError(exited(0, ['done']), { operation: 'run' }).remediation,
    ).toMatch(/^A service must keep running/);
  });

  it('quotes the last error-looking lines, else the last lines, without engine chatter', () => {
    expect(commandOutput(BROKEN_TAIL)).toEqual([
      'compiling broken-build...',
      'error: missing file app.conf (expected at /app/app.conf; examples/sources/broken-build fails on purpose)',
    ]);
    // BuildKit prefixes each line with its step and time.
    expect(
      commandOutput([
        '#7 [3/4] RUN make',
        '#7 0.215 cc -o app main.c',
        '#7 0.402 main.c:3: error: expected ;',
        '#7 ERROR: process "/bin/sh -c make" did not complete successfully: exit code: 2',
      ]),
    ).toEqual(['cc -o app main.c', 'main.c:3: error: expected ;']);
    expect(causeLines(['one', 'two', 'three', 'four'])).toEqual([
      'two',
      'three',
      'four',
    ]);
    expect(causeLines([`error: ${'x'.repeat(500)}`])[0]).toHaveLength(240);
  });
});
