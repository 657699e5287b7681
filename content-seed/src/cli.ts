import path from 'node:path';
import { loadApp } from './boot';
import { readSeeds } from './files';
import { upsertSeeds, type Outcome } from './upsert';

/**
 * `npm run seed [-- --dry-run] [-- --data DIR] [-- --if-empty]`: validates every seed file, then upserts
 * and publishes by natural key. Any invalid file: nothing is written, every problem is printed with file
 * and field, and the exit code is 1. `--if-empty` imports only into a database with no reminder rules
 * yet (what `npm start` uses, so a first run has the corpus and later starts stay fast).
 */
async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const dryRun = args.includes('--dry-run');
  const ifEmpty = args.includes('--if-empty');
  const dataArg = args.indexOf('--data');
  const dataDir = dataArg >= 0 && args[dataArg + 1] ? path.resolve(args[dataArg + 1]!) : path.resolve(__dirname, '../data');
  const unknown = args.filter((a, i) => !['--dry-run', '--data', '--if-empty'].includes(a) && !(dataArg >= 0 && i === dataArg + 1));
  if (unknown.length > 0) {
    console.error(`seed: unknown argument ${unknown.join(' ')} (use --dry-run, --data DIR, --if-empty)`);
    return 2;
  }

  const { seeds, problems } = readSeeds(dataDir);
  if (problems.length > 0) {
    for (const p of problems) console.error(`${p.file}: ${p.field}: ${p.message}`);
    console.error(`seed: ${new Set(problems.map((p) => p.file)).size} invalid file(s), ${problems.length} problem(s); nothing was written`);
    return 1;
  }

  const strapi = await loadApp();
  try {
    if (ifEmpty && (await strapi.db.query('api::reminder-rule.reminder-rule').count({})) > 0) {
      console.log('seed: the database already has content; skipped (run `npm run seed` to update it)');
      return 0;
    }
    const results = await upsertSeeds(strapi, seeds, { dryRun });
    const kinds = ['institution', 'content', 'rule'] as const;
    const outcomes: Outcome[] = ['created', 'updated', 'unchanged', 'failed'];
    console.log(`${dryRun ? 'dry run — nothing written\n' : ''}${'kind'.padEnd(12)}${outcomes.map((o) => o.padStart(10)).join('')}`);
    for (const kind of kinds) {
      const mine = results.filter((r) => r.seed.kind === kind);
      console.log(`${kind.padEnd(12)}${outcomes.map((o) => String(mine.filter((r) => r.outcome === o).length).padStart(10)).join('')}`);
    }
    for (const r of results.filter((x) => x.outcome === 'failed')) console.error(`${r.seed.file}: ${r.error ?? 'failed'}`);
    return results.some((r) => r.outcome === 'failed') ? 1 : 0;
  } finally {
    await strapi.destroy();
  }
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`seed: ${error.message}`);
    process.exit(1);
  },
);
