// `npm start` runs the server with the same Node flags as the demo and the test harness
// (server/src/node-flags.ts), and Node accepts them.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SERVER_NODE_FLAGS } from '../../server/src/node-flags';

describe('server node flags', () => {
  it('are in the start script, before the entry point', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '../../package.json'), 'utf8')) as { scripts: Record<string, string> };
    const start = pkg.scripts.start.split(/\s+/);
    const entry = start.indexOf('server/src/main.ts');
    expect(entry).toBeGreaterThan(0);
    for (const flag of SERVER_NODE_FLAGS) {
      expect(start.indexOf(flag)).toBeGreaterThan(0);
      expect(start.indexOf(flag)).toBeLessThan(entry);
    }
  });

  it('are accepted by this Node', () => {
    const r = spawnSync(process.execPath, [...SERVER_NODE_FLAGS, '-e', 'process.exit(0)'], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
