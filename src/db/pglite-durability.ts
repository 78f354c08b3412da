// The embedded database's durability. PGlite starts PostgreSQL with fsync off (-F), and its Node
// file layer has no fsync either (fsync() returns without flushing, fdatasync() is a no-op), so a
// committed write can sit in the operating system's cache when the host loses power.
import { fsyncSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';

/** PGlite's start parameters with fsync on, the WAL flushed with fsync() (the call its file layer can pass on). */
export const durableStartParams = [...PGlite.defaultStartParams.filter((param) => param !== '-F'), '-c', 'wal_sync_method=fsync'];

export const fsyncRequested = (startParams: string[] | undefined) => !(startParams ?? PGlite.defaultStartParams).includes('-F');

type NodeFsModule = { Module: { FS: { filesystems: { NODEFS?: { stream_ops: { fsync?: (stream: { nfd?: number }) => void } } } } } };

/** Lets PostgreSQL's fsync() calls reach the disk: each commit then waits for its WAL to be on disk. */
export function passFsyncsToDisk(db: PGlite) {
  const nodefs = (db as unknown as NodeFsModule).Module.FS.filesystems.NODEFS;
  if (!nodefs) return;
  nodefs.stream_ops.fsync = (stream) => {
    if (stream.nfd !== undefined) fsyncSync(stream.nfd);
  };
}
