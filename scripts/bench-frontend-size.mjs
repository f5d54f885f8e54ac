/*
 * yarn bench:frontend-size — what the runner's frontend adds to an app.
 *
 * Bundles the New Frontend System entry (src/alpha.tsx) minified with esbuild,
 * leaving out what every Backstage app already ships (React, MUI v4,
 * @backstage/*, react-router, react-use), and reports minified and gzipped
 * sizes: the plugin's own code (with runner-common) and its private
 * dependencies (recharts and the d3 parts it pulls in). An approximation of
 * the app's webpack chunks, not a measurement of them: the app build splits
 * and names chunks its own way.
 */
import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const pluginDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../plugins/runner');
const shared = [
  'react',
  'react-dom',
  'react/jsx-runtime',
  '@material-ui/*',
  '@backstage/*',
  'react-router',
  'react-router-dom',
  'react-use',
  'react-use/*',
];

const result = await build({
  entryPoints: [path.join(pluginDir, 'src/alpha.tsx')],
  bundle: true,
  minify: true,
  format: 'esm',
  jsx: 'automatic',
  external: shared,
  write: false,
  metafile: true,
  logLevel: 'error',
  outfile: 'runner.js',
});

const output = result.outputFiles[0].contents;
const inputs = Object.values(result.metafile.outputs)[0].inputs;
const ownBytes = Object.entries(inputs)
  .filter(([file]) => !file.includes('node_modules'))
  .reduce((sum, [, info]) => sum + info.bytesInOutput, 0);
const kb = n => `${(n / 1024).toFixed(1)} KB`;

console.log('| part | minified | gzipped |');
console.log('|---|---|---|');
console.log(`| everything the plugin adds (own code + recharts, d3, …) | ${kb(output.length)} | ${kb(gzipSync(output, { level: 9 }).length)} |`);
console.log(`| of which the plugin's own code (runner + runner-common) | ${kb(ownBytes)} | — |`);
