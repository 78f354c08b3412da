// The embedded database is one process's: PGlite keeps its state in memory and writes the folder
// as it goes, so a second process opening the same folder (npm run db:migrate beside a running
// server) works on a stale copy and can leave the folder unusable. Whoever opens the folder first
// writes its pid into a lock file there; anyone else is refused with a message saying who holds it.
// A lock whose process is gone (a crash, a kill -9) is taken over.
import { hostname } from 'node:os';
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { StartUpProblem } from '../server/start-up-problem.js';

export const lockFileName = 'rx-community.lock';

type Holder = { pid: number; host: string; command: string; since: string };

export class FolderInUse extends StartUpProblem {
  override name = 'FolderInUse';
  constructor(
    readonly dir: string,
    readonly holder: Holder,
  ) {
    super(
      `The embedded database folder ${dir} is in use by another process (pid ${holder.pid}, ${holder.command}, since ${holder.since}). ` +
        'Only one process may open it at a time: stop that process first (a running server applies migrations and site files itself; ' +
        'send it SIGHUP to reload the site files), or point PGLITE_DIR at another folder. ' +
        `If no such process exists, delete ${path.join(dir, lockFileName)}.`,
    );
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Takes the folder for this process, or throws FolderInUse; the returned function gives it back. */
export function lockFolder(dir: string): () => void {
  const file = path.join(dir, lockFileName);
  const mine: Holder = { pid: process.pid, host: hostname(), command: path.basename(process.argv[1] ?? process.argv0), since: new Date().toISOString() };
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(file, JSON.stringify(mine), { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new FolderInUse(dir, holderOf(file));
        throw error;
      }
      const holder = holderOf(file);
      // Stale: its process is gone, or it is this very pid from an earlier life (a restarted container's pid 1).
      // An unreadable lock file is a write cut short.
      const stale = holder.pid === -1 || (holder.host === mine.host && (holder.pid === process.pid || !alive(holder.pid)));
      if (!stale) throw new FolderInUse(dir, holder);
      unlinkSync(file);
    }
  }
  const release = () => {
    process.off('exit', release);
    try {
      if (holderOf(file).pid === process.pid) unlinkSync(file);
    } catch {
      // already gone
    }
  };
  process.on('exit', release);
  return release;
}

function holderOf(file: string): Holder {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Holder;
  } catch {
    return { pid: -1, host: '?', command: 'unknown', since: 'unknown' };
  }
}
