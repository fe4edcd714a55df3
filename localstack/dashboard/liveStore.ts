// The store as the dashboard sees it while a replay or simulation writes to it: the read model
// (localstack/replay/storeReadModel.ts) kept up to date by reading each machine's checkpoint and the
// decisions committed since the last look, plus each machine's state timeline folded from them.
import * as E from 'fp-ts/lib/Either.js';
import type { MaintenanceModel } from '../../domain/maintenance/maintenanceModel.ts';
import type { MachineEvent } from '../../domain/machine/events.ts';
import { decodeSiteConfig, type SiteConfig } from '../../domain/site/siteConfig.ts';
import { modelForSite } from '../maintenance/modelFile.ts';
import { ensureReplaySchema } from '../replay/replaySchema.ts';
import { siteMachines, storeReader, type StoredMachine } from '../replay/storeReadModel.ts';
import type { FactoryDb } from '../store/schema.ts';
import { evolveTimeline, initialTimeline, type MachineTimeline } from './machineTimeline.ts';

export type LiveStore = {
  /** Folds what was appended since the last call; true when anything the dashboard shows changed. */
  readonly refresh: () => boolean;
  /** Increases with every change: the key views are cached by and the live page listens for. */
  readonly marker: () => number;
  readonly site: () => SiteConfig | undefined;
  readonly machines: () => ReadonlyMap<string, StoredMachine>;
  readonly timeline: (key: string) => MachineTimeline;
};

/** The replay's options: its maintenance model, by default the bundled one when the site has maintenance detectors (as runReplay does). */
export type LiveStoreOptions = { readonly maintenanceModel?: MaintenanceModel };

export const openLiveStore = (db: FactoryDb, options: LiveStoreOptions = {}): LiveStore => {
  ensureReplaySchema(db);
  const selectSite = db.prepare<[], { json: string }>('SELECT json FROM site_config WHERE id = 1');
  const reader = storeReader(db);
  // Telemetry has no rowid to watch (one WITHOUT ROWID B-tree, schema version 2): any commit to the file,
  // by this connection (total_changes) or another (data_version), may have added readings.
  const selectTelemetryMark = db.prepare<[], { mark: number | null }>(
    'SELECT total_changes() + (SELECT data_version FROM pragma_data_version) AS mark',
  );
  const selectReplayMark = db.prepare<[], { mark: number }>(
    'SELECT COALESCE(SUM(received), 0) AS mark FROM replay_sources',
  );

  let siteJson: string | undefined;
  let site: SiteConfig | undefined;
  let machines = new Map<string, StoredMachine>();
  let timelines = new Map<string, MachineTimeline>();
  let telemetryMark: number | null = null;
  let replayMark = 0;
  let marker = 0;

  /** A replay (re)wrote the site: start over from an empty runtime per machine, as loadMachines does. */
  const resetTo = (json: string | undefined): void => {
    siteJson = json;
    machines = new Map();
    timelines = new Map();
    const decoded = json === undefined ? undefined : decodeSiteConfig(JSON.parse(json));
    site = decoded !== undefined && decoded._tag === 'Right' ? decoded.right : undefined;
    if (site === undefined) return;
    const bundled =
      options.maintenanceModel === undefined ? modelForSite(site, undefined) : E.right(options.maintenanceModel);
    const model = E.isRight(bundled) ? bundled.right : undefined;
    machines = siteMachines(site, model === undefined ? {} : { maintenanceModel: model });
    for (const key of machines.keys()) timelines.set(key, initialTimeline);
  };

  /** What loadMachines reads, from the machine's last position on, plus the timeline of the decisions. */
  const topUp = (runtime: StoredMachine): boolean => {
    let timeline = timelines.get(runtime.key) ?? initialTimeline;
    if (
      !reader.refresh(runtime, (event: MachineEvent) => {
        timeline = evolveTimeline(timeline, event);
      })
    )
      return false;
    timelines.set(runtime.key, timeline);
    return true;
  };

  const refresh = (): boolean => {
    let changed = false;
    const json = selectSite.get()?.json;
    if (json !== siteJson) {
      resetTo(json);
      changed = true;
    }
    // One read transaction, so every machine is topped up to the same commit of the writer.
    db.transaction(() => {
      for (const runtime of machines.values()) changed = topUp(runtime) || changed;
      const telemetry = selectTelemetryMark.get()?.mark ?? null;
      const replay = selectReplayMark.get()?.mark ?? 0;
      if (telemetry !== telemetryMark || replay !== replayMark) changed = true;
      telemetryMark = telemetry;
      replayMark = replay;
    }).deferred();
    if (changed) marker += 1;
    return changed;
  };

  refresh();
  return {
    refresh,
    marker: () => marker,
    site: () => site,
    machines: () => machines,
    timeline: (key) => timelines.get(key) ?? initialTimeline,
  };
};
