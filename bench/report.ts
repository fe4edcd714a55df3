// `npx tsx bench/report.ts`: BENCHMARKS.md written again from the last run's figures
// (.factory/bench/results.json) with bench/beforeFixes.json as it is now; nothing is measured.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH_DIR } from './benchRecording.ts';
import { benchmarksReport, type BeforeFixes, type BenchResults } from './benchmarksReport.ts';

const results = JSON.parse(readFileSync(join(BENCH_DIR, 'results.json'), 'utf8')) as BenchResults;
const before = JSON.parse(readFileSync(join(import.meta.dirname, 'beforeFixes.json'), 'utf8')) as BeforeFixes;
writeFileSync(join(import.meta.dirname, '..', 'BENCHMARKS.md'), benchmarksReport({ ...results, before }));
process.stderr.write('BENCHMARKS.md written from .factory/bench/results.json\n');
