/** Wall time and peak memory of a command together with every process it starts. */
import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';

export interface Measurement {
  readonly wallSeconds: number;
  /**
   * Highest physical memory of the process and its descendants, sampled every 25 ms (`treeKilobytes`).
   */
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

/**
 * The physical memory of a process tree: each process's own memory (anonymous and shared-memory
 * pages), and the pages of each executable file once, however many of the processes run it. A sum
 * of resident sizes would count the AWS provider's 700 MB executable once per provider process, three
 * times what a plan of eight configurations takes. (The kernel's PSS says the same more exactly, but
 * reading it walks every page table: sampled this often, it doubled a plan's system time.)
 */
function treeKilobytes(root: number): number {
  let own = 0;
  const executables = new Map<string, number>();
  const pending = [root];
  while (pending.length > 0) {
    const pid = pending.pop()!;
    try {
      const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
      const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
      own += field('RssAnon') + field('RssShmem');
      const executable = fs.readlinkSync(`/proc/${pid}/exe`);
      executables.set(executable, Math.max(executables.get(executable) ?? 0, field('RssFile')));
    } catch {
      // ended
    }
    pending.push(...childrenOf(pid));
  }
  return own + [...executables.values()].reduce((sum, kilobytes) => sum + kilobytes, 0);
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
      if (child.pid) peak = Math.max(peak, treeKilobytes(child.pid));
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
