import { useEffect, useMemo, useRef, useState } from 'react';
import { useApi } from '@backstage/frontend-plugin-api';
import { runnerApiRef, type LogStream } from '../../api';

/** Lines fetched from the end of a log; the Download button gets all of it. */
export const LOG_TAIL = 2000;
/** Lines kept while following, so a chatty container cannot fill memory. */
export const MAX_FOLLOWED_LINES = 10_000;
/** How often followed lines are rendered: per chunk would re-render per line. */
const FLUSH_MS = 100;

export interface InstanceLog {
  text: string;
  lineCount: number;
  loading: boolean;
  error?: Error;
  /** True when the start of a followed log was dropped to stay under the cap. */
  truncated: boolean;
}

/**
 * One log of an instance: the last {@link LOG_TAIL} lines, or, when
 * `follow` is on, those lines and every new one as it arrives. The request
 * is aborted when the instance, the stream or `follow` changes and when the
 * component unmounts. `onFollowEnded` is called when the backend ends a
 * followed stream (the build or the container finished).
 *
 * `refreshKey` reloads a log that is not followed, e.g. on a state change.
 */
export function useInstanceLog(options: {
  instanceId: string;
  stream: LogStream;
  follow: boolean;
  refreshKey: string;
  onFollowEnded: () => void;
}): InstanceLog {
  const { instanceId, stream, follow, onFollowEnded } = options;
  const runnerApi = useApi(runnerApiRef);
  const [lines, setLines] = useState<string[]>([]);
  const [truncated, setTruncated] = useState(false);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<Error>();
  // Read when the stream ends, so a new callback from the parent neither
  // restarts the stream (losing lines) nor goes stale.
  const onEnded = useRef(onFollowEnded);
  onEnded.current = onFollowEnded;
  // A followed log must not restart when the instance's state changes.
  const refreshKey = follow ? 'follow' : options.refreshKey;
  // Which log the lines on screen belong to: a reload of the same log keeps
  // them until the new text arrives, a different log clears them at once.
  const shown = useRef('');

  useEffect(() => {
    const controller = new AbortController();
    const aborted = () => controller.signal.aborted;
    setLoading(true);
    setError(undefined);
    setTruncated(false);
    const identity = `${instanceId}/${stream}`;
    if (shown.current !== identity) {
      shown.current = identity;
      setLines([]);
    }

    if (!follow) {
      // Started inside a promise, so that even a synchronous throw becomes
      // the error state rather than an exception in the effect.
      Promise.resolve()
        .then(() => runnerApi.getLogs(instanceId, { stream, tail: LOG_TAIL }))
        .then(text => {
          if (aborted()) return;
          const split = text.split(/\r?\n/);
          if (split[split.length - 1] === '') split.pop();
          setLines(split);
        })
        .catch(e => !aborted() && setError(e))
        .finally(() => !aborted() && setLoading(false));
      return () => controller.abort();
    }

    // The stream starts with the same tail that may be on screen (Follow
    // just switched on): those lines stay until it has sent something, then
    // its lines replace them, so nothing on screen blinks away.
    const collected: string[] = [];
    let received = false;
    let dropped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const flush = () => {
      timer = undefined;
      if (aborted()) return;
      if (received) setLines(collected.slice());
      setTruncated(dropped);
      setLoading(false);
    };
    Promise.resolve()
      .then(() =>
        runnerApi.followLogs(instanceId, {
          stream,
          tail: LOG_TAIL,
          signal: controller.signal,
          // Open but silent so far: an empty log says so instead of spinning.
          onOpen: () => {
            timer ??= setTimeout(flush, FLUSH_MS);
          },
          onLine: line => {
            received = true;
            collected.push(line);
            if (collected.length > MAX_FOLLOWED_LINES) {
              collected.splice(0, collected.length - MAX_FOLLOWED_LINES);
              dropped = true;
            }
            timer ??= setTimeout(flush, FLUSH_MS);
          },
        }),
      )
      .then(() => {
        if (aborted()) return;
        if (timer) clearTimeout(timer);
        received = true; // a stream that ended says what the log holds
        flush();
        onEnded.current();
      })
      .catch(e => {
        if (aborted()) return;
        if (timer) clearTimeout(timer);
        flush();
        setError(e);
      });
    return () => {
      if (timer) clearTimeout(timer);
      controller.abort();
    };
  }, [runnerApi, instanceId, stream, follow, refreshKey]);

  const text = useMemo(() => lines.join('\n'), [lines]);
  return { text, lineCount: lines.length, loading, error, truncated };
}
