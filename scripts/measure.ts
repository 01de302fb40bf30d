/** Wall time and peak resident memory of a command together with every process it starts. */
import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';

export interface Measurement {
  readonly wallSeconds: number;
  /** Highest sum of resident memory over the process and its descendants, sampled every 25 ms. */
  readonly peakMegabytes: number;
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Direct children of a process, from every one of its threads (any thread may have forked). */
function childrenOf(pid: number): number[] {
  try {
    return fs.readdirSync(`/proc/${pid}/task`).flatMap((task) =>
      fs.readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').split(' ').filter(Boolean).map(Number),
    );
  } catch {
    return []; // the process ended while being read
  }
}

function treeRssKilobytes(root: number): number {
  let total = 0;
  const pending = [root];
  while (pending.length > 0) {
    const pid = pending.pop()!;
    try {
      const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
      total += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    } catch {
      // ended
    }
    pending.push(...childrenOf(pid));
  }
  return total;
}

export function measure(
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; /** Told of the process as soon as it starts. */ onStart?: (child: ChildProcess) => void } = {},
): Promise<Measurement> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env });
    options.onStart?.(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    let peak = 0;
    const sample = () => {
      if (child.pid) peak = Math.max(peak, treeRssKilobytes(child.pid));
    };
    const timer = setInterval(sample, 25);
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(timer);
      resolve({
        wallSeconds: Number(process.hrtime.bigint() - started) / 1e9,
        peakMegabytes: peak / 1024,
        exitCode: code,
        stdout,
        stderr,
      });
    });
  });
}
