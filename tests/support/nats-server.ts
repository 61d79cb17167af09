// A private nats-server with JetStream on a free port and its own store directory, for tests
// that restart or reconfigure the broker without touching the shared one.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface PrivateNats {
  url: string;
  port: number;
  storeDir: string;
  stop(): Promise<void>;
  /** Stops and starts again on the same port and store, so streams survive. */
  restart(pauseMs?: number): Promise<void>;
  kill(): Promise<void>;
}

export interface StartNatsOptions {
  /** A configuration file (`-c`); command-line flags (port, store, host) still override it. */
  configFile?: string;
  /** Extra environment for nats-server, e.g. the `$VAR` passwords a configuration refers to. */
  env?: Record<string, string>;
}

function launch(args: string[], env?: Record<string, string>): Promise<{ proc: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.env.NATS_SERVER_BIN ?? 'nats-server', args, {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, ...env },
    });
    let log = '';
    const timer = setTimeout(() => reject(new Error(`nats-server did not start: ${log}`)), 10_000);
    proc.stderr!.on('data', (d: Buffer) => {
      log += d.toString();
      const m = /Listening for client connections on [^:]+:(\d+)/.exec(log);
      if (m && /Server is ready/.test(log)) {
        clearTimeout(timer);
        resolve({ proc, port: Number(m[1]) });
      }
    });
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`nats-server exited with ${code}: ${log}`));
    });
  });
}

function waitExit(proc: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  return new Promise((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
    proc.once('exit', () => resolve());
    proc.kill(signal);
  });
}

export async function startNats(extraArgs: string[] = [], options: StartNatsOptions = {}): Promise<PrivateNats> {
  const storeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bci-nats-'));
  const config = options.configFile ? ['-c', options.configFile] : [];
  const base = [...config, '-js', '-a', '127.0.0.1', '-sd', storeDir, ...extraArgs];
  const first = await launch([...base, '-p', '-1'], options.env);
  let proc = first.proc;
  const port = first.port;
  proc.removeAllListeners('exit');
  const api: PrivateNats = {
    url: `nats://127.0.0.1:${port}`,
    port,
    storeDir,
    async stop() {
      await waitExit(proc, 'SIGTERM');
      fs.rmSync(storeDir, { recursive: true, force: true });
    },
    async kill() {
      await waitExit(proc, 'SIGKILL');
    },
    async restart(pauseMs = 500) {
      await waitExit(proc, 'SIGTERM');
      await new Promise((r) => setTimeout(r, pauseMs));
      ({ proc } = await launch([...base, '-p', String(port)], options.env));
      proc.removeAllListeners('exit');
    },
  };
  return api;
}
