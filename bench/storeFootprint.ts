// What the sample recording leaves behind, per message: the store's bytes, the stream writes (commit
// rows with decisions) per accepted telemetry reading, the checkpoint's size, and what the same
// recording costs in DynamoDB when the process function writes it (bench/dynamoWrites.ts).
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { runReplay } from '../localstack/replay/runReplay.ts';
import type { SiteConfig } from '../domain/site/siteConfig.ts';

export type StoreFootprint = {
  readonly messages: number;
  readonly acceptedTelemetry: number;
  readonly streamWrites: number;
  readonly decisions: number;
  readonly storeBytes: number;
  readonly checkpointBytes: { readonly mean: number; readonly max: number };
};

export const storeFootprint = async (recording: string, site: SiteConfig): Promise<StoreFootprint> => {
  const path = join(mkdtempSync(join(tmpdir(), 'factory-footprint-')), 'footprint.db');
  const summary = await runReplay({ recording, site, via: 'direct', speed: 'max', db: path, progress: false });
  const db = new Database(path);
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
    const streamWrites = db.prepare('SELECT COUNT(*) FROM commits').pluck().get() as number;
    const decisions = (db.prepare('SELECT events FROM commits').pluck().all() as string[]).reduce(
      (n, events) => n + (JSON.parse(events) as unknown[]).length,
      0,
    );
    const sizes = db.prepare('SELECT length(state) FROM checkpoints').pluck().all() as number[];
    const acceptedTelemetry = (db.prepare('SELECT readings FROM telemetry').pluck().all() as string[]).reduce(
      (n, r) => n + (JSON.parse(r) as { ids: unknown[] }).ids.length,
      0,
    );
    return {
      messages: summary.messages.received,
      acceptedTelemetry,
      streamWrites,
      decisions,
      storeBytes: statSync(path).size,
      checkpointBytes: {
        mean: sizes.reduce((a, b) => a + b, 0) / Math.max(1, sizes.length),
        max: Math.max(0, ...sizes),
      },
    };
  } finally {
    db.close();
  }
};
