import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Test helper: a temporary directory with the given files (path → content). */
export function makeTree(files: Record<string, string>): string {
  const dir = fs.realpathSync(
    fs.mkdtempSync(path.join(os.tmpdir(), 'runner-context-')),
  );
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(dir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
  return dir;
}
