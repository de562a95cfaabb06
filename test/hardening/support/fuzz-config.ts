// Seed and case counts of the fuzz suites: fixed by default (reproducible in CI), overridable for a
// nightly-style run: FUZZ_SEED=<n> FUZZ_RUNS=<total POST-pipeline cases> npm run fuzz.

export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20_261_125);
/** Total cases across the POST-pipeline properties (≥ 10 000 in CI). */
export const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 10_800);

/** This suite's share of FUZZ_RUNS. */
export const share = (fraction: number): number => Math.max(1, Math.round(FUZZ_RUNS * fraction));
