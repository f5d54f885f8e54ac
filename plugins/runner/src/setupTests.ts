import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// The whole suite shares two cores with real-engine and real-cluster tests in
// CI: rendering a tab can take seconds there, so waits are generous and a
// test fails on what it finds, not on a busy machine.
configure({ asyncUtilTimeout: 15_000 });
jest.setTimeout(60_000);
// A render starved of CPU can still miss a wait now and then; a test that
// really fails fails all three times.
jest.retryTimes(2, { logErrorsBeforeRetry: true });
