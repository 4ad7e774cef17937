// The built gateway as a separate process, as an operator runs it: compile, spawn `dist/src/main.js`,
// wait for it to say it is ready, stop it with SIGTERM.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');

/** Compiles src/ and scripts/ into dist/ (incremental). */
export function buildGateway(): void {
  execFileSync(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: ROOT });
}

export interface GatewayProcess {
  child: ChildProcess;
  /** The URL from the "Gateway ready at" line. */
  url: string;
  /** Everything it printed so far (stdout and stderr). */
  output: () => string;
}

/** Spawns the built gateway and resolves once it has printed its ready line (and `isReady` holds). */
export function spawnGateway(options: { cwd: string; env: NodeJS.ProcessEnv; isReady?: (output: string) => boolean; timeoutMs?: number }): Promise<GatewayProcess> {
  const child = spawn(process.execPath, [path.join(ROOT, 'dist/src/main.js')], { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => {
      clearInterval(poll);
      clearTimeout(timer);
      reject(new Error(`exited with ${code}:\n${output}`));
    };
    const timer = setTimeout(() => {
      clearInterval(poll);
      child.off('exit', onExit);
      child.kill('SIGKILL');
      reject(new Error(`not ready in time:\n${output}`));
    }, options.timeoutMs ?? 90_000);
    child.on('exit', onExit);
    const poll = setInterval(() => {
      const ready = /Gateway ready at (\S+)/.exec(output);
      if (ready && (options.isReady?.(output) ?? true)) {
        clearInterval(poll);
        clearTimeout(timer);
        child.off('exit', onExit);
        resolve({ child, url: ready[1], output: () => output });
      }
    }, 50);
  });
}

/** SIGTERM, then the exit code (null when it had already exited by a signal). */
export function stopGateway(running: GatewayProcess | undefined): Promise<number | null> {
  if (!running) return Promise.resolve(null);
  if (running.child.exitCode !== null) return Promise.resolve(running.child.exitCode);
  return new Promise((resolve) => {
    running.child.once('exit', (code) => resolve(code));
    running.child.kill('SIGTERM');
  });
}
