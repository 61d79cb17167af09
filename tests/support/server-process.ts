// Runs the real server as a child process (so a test can SIGKILL it), on a free port.
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { SERVER_NODE_FLAGS } from '../../server/src/node-flags';
import { TEST_AUTH_ENV } from './auth';

const ROOT = path.resolve(__dirname, '..', '..');

export interface ServerProcess {
  url: string;
  port: number;
  proc: ChildProcess;
  logs(): string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export async function startServer(env: Record<string, string>): Promise<ServerProcess> {
  // BCI_SERVER_NODE_ARGS passes extra node flags (e.g. --cpu-prof) to the server under test.
  const nodeArgs = (process.env.BCI_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const proc = spawn(process.execPath, [...SERVER_NODE_FLAGS, ...nodeArgs, '-r', '@swc-node/register', path.join(ROOT, 'server/src/main.ts')], {
    cwd: ROOT,
    // Every test server has the test admin and a fixed signing secret (tests/support/auth.ts).
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', NO_COLOR: '1', ...TEST_AUTH_ENV, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  proc.stdout!.on('data', (d: Buffer) => (log += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start within 30 s:\n${log}`)), 30_000);
    const check = () => {
      const m = /listening on http:\/\/[^:]+:(\d+)/.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    proc.stdout!.on('data', check);
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${log}`));
    });
  });
  proc.removeAllListeners('exit');
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    proc,
    logs: () => log,
    kill: (signal: NodeJS.Signals = 'SIGTERM') =>
      new Promise<void>((resolve) => {
        if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
        proc.once('exit', () => resolve());
        proc.kill(signal);
      }),
  };
}
