import type { Match } from './ruleTypes';

/*
 * Messages that lead with the cause. A failed build step or an exited
 * container has already said why, in its last lines of output; the message
 * quotes those first and then names the step or the exit code once, and
 * the advice follows from what the lines and the exit code say, not from a
 * list of every exit code there is.
 */

/** Lines of the engine's own, not the command's: classic builder and BuildKit. */
const ENGINE_CHATTER =
  /^\s*(?:-+>|Removing intermediate container|ERROR: |Successfully |Sending build context|#\d+ (?:\[|DONE|CACHED|ERROR|sha256:|transferring|naming|writing|exporting|resolve))/;
/** A BuildKit output line: `#7 0.215 the text`. */
const BUILDKIT_PREFIX = /^#\d+ \d+(?:\.\d+)? /;
const STEP_LINE = /^Step \d+\/\d+ : /;
/** Lines that read as an error, as programs print them. */
const ERRORISH =
  /\b(?:error|fatal|failed|failure|cannot|can't|could not|not found|no such|missing|denied|refused|invalid|unable|exception|panic|traceback)\b|ERR!/i;

const QUOTED = 3;
const MAX_LINE = 240;

const clip = (text: string, max: number) =>
  text.length > max ? `${text.slice(0, max - 1)}…` : text;

/**
 * What the failing command itself printed: the lines after the last
 * `Step n/m` line of the tail (all of it when the tail has none), without
 * the engine's chatter.
 */
export function commandOutput(logTail: readonly unknown[]): string[] {
  const lines = logTail.map(String);
  let start = 0;
  lines.forEach((line, i) => {
    if (STEP_LINE.test(line)) start = i + 1;
  });
  return lines
    .slice(start)
    .filter(line => line.trim() && !ENGINE_CHATTER.test(line))
    .map(line => line.replace(BUILDKIT_PREFIX, '').trim());
}

/** The few lines worth leading with: the last ones that read as errors, else the last ones. */
export function causeLines(output: readonly string[]): string[] {
  const errors = output.filter(line => ERRORISH.test(line));
  return (errors.length > 0 ? errors : output)
    .slice(-QUOTED)
    .map(line => clip(line, MAX_LINE));
}

function quoteLines(lines: readonly string[]): string {
  return lines.join(' / ');
}

const REPRODUCE_BUILD =
  'Reproduce with `docker build .` in the source directory (the Dockerfile that `runner.backstage.io/dockerfile` names), commit the fix, and start again.';

/** Advice for a failed RUN step, from its output and exit code. */
function buildAdvice(
  step: string,
  exit: string,
  lines: readonly string[],
): string {
  const text = lines.join('\n');
  const file =
    /(?:missing file|no such file(?: or directory)?|cannot (?:open|stat|access)|can't open|file not found|does not exist)[:\s]*['"`]?([\w./@-]*\w)/i.exec(
      text,
    )?.[1] ??
    /['"`]?([\w./@-]*\w)['"`]?: (?:No such file or directory|not found)/i.exec(
      text,
    )?.[1];
  if (exit === '137') {
    return `${step} was killed (exit code 137), which during a build almost always means the Docker engine ran out of memory: make the step use less (fewer parallel jobs, a smaller input) or give the engine's machine more memory. ${REPRODUCE_BUILD}`;
  }
  if (exit === '127') {
    return `${step} runs a command that is not in the image at that point: install it in an earlier RUN step, or start FROM an image that has it. ${REPRODUCE_BUILD}`;
  }
  if (exit === '126') {
    return `${step} runs a file that is not executable: \`chmod +x\` it in the source or in an earlier RUN step. ${REPRODUCE_BUILD}`;
  }
  if (file) {
    return `${step} needs \`${file}\`, which is not in the image when the step runs: add it to the component's source under the build context (and out of \`.dockerignore\`) and COPY it in before this step, or correct the path. ${REPRODUCE_BUILD}`;
  }
  if (
    /ENOTFOUND|EAI_AGAIN|Could not resolve|Temporary failure in name resolution|connection refused|timed out|Network is unreachable/i.test(
      text,
    )
  ) {
    return `${step} needed the network and did not reach it: builds run with the Docker engine's network, DNS and proxy settings, so fix those, or vendor the dependency into the source. ${REPRODUCE_BUILD}`;
  }
  return `The lines quoted are ${step}'s own error output: fix what they say in the source or the step's command. ${REPRODUCE_BUILD}`;
}

/**
 * A RUN step that exited non-zero. `command` is the engine's (`/bin/sh -c …`),
 * `step` the `Step n/m : RUN …` line when known.
 */
export function buildStepFailure(
  command: string,
  exit: string,
  step: string | undefined,
  logTail: readonly unknown[],
): Omit<Match, 'code'> {
  const stepNumber = step && /^Step (\d+\/\d+)/.exec(step)?.[1];
  const instruction = clip(
    (step ? step.replace(STEP_LINE, '') : command).replace(/\s+/g, ' '),
    60,
  );
  const where = stepNumber
    ? `Step ${stepNumber} (\`${instruction}\`)`
    : `The Dockerfile command \`${instruction}\``;
  const lines = causeLines(commandOutput(logTail));
  const killed =
    exit === '137' ? ' It was killed, usually for using too much memory.' : '';
  const failed = `${where} failed with exit code ${exit}.${killed}`;
  return {
    say: lines.length > 0 ? `${quoteLines(lines)} — ${failed}` : failed,
    advise: buildAdvice(
      stepNumber ? `Step ${stepNumber}` : 'The step',
      exit,
      lines,
    ),
  };
}

/** Advice for a container that exited (not OOM-killed), from its exit code. */
function exitAdvice(code: number, printed: boolean): string {
  const reproduce =
    'Reproduce with `docker run --rm <image>`, fix, and start again.';
  switch (code) {
    case 0:
      return `A service must keep running, and this process ended successfully instead: make the image's CMD run the server in the foreground (not as a daemon, not a one-off script). If something outside the runner stopped it (\`docker stop\`), stop instances from the Runner tab instead. ${reproduce}`;
    case 126:
      return `The container's command is not executable: \`chmod +x\` it in the source or in a RUN step of the Dockerfile. ${reproduce}`;
    case 127:
      return `The container's command, or one it runs, does not exist in the image: check ENTRYPOINT/CMD and the script's first line (its interpreter). ${reproduce}`;
    case 137:
      return 'The process was killed (SIGKILL) without running out of memory: something outside the runner ran `docker kill`, or the engine killed it (its log, `journalctl -u docker`, says). Start the instance again; stop instances from the Runner tab.';
    case 143:
      return 'The process ended on SIGTERM that the runner did not send: something outside the runner stopped it (`docker stop`, a host shutdown). Start the instance again; stop instances from the Runner tab.';
    default:
      return printed
        ? `The application ended itself with code ${code} after printing the lines quoted: that is its own error. Fix what they say, in its code or in its configuration (\`runner.backstage.io/env\`, \`runner.components\`). ${reproduce}`
        : `The application ended itself with code ${code} without printing anything: run it with more logging, e.g. a debug flag in \`runner.backstage.io/env\`. ${reproduce}`;
  }
}

/** A container whose process exited by itself; `logTail` is its last output. */
export function containerExitFailure(
  code: number,
  logTail: readonly unknown[],
): Omit<Match, 'code'> {
  const lines = causeLines(
    logTail.map(String).filter(line => line.trim().length > 0),
  );
  const exited =
    code === 0
      ? "The container's process ended by itself with code 0 while the instance should have kept running (or something outside the runner stopped it, e.g. `docker stop`)."
      : `The container's process exited with code ${code}.`;
  return {
    say: lines.length > 0 ? `${quoteLines(lines)} — ${exited}` : exited,
    advise: exitAdvice(code, lines.length > 0),
  };
}
