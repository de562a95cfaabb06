// Jest globalTeardown (package.json), in Jest's main process after the last test file. `npm test`
// has no --forceExit: the process must end by itself. If something still keeps it alive
// GRACE_MS later, this prints what (resource types; servers, sockets and child processes by
// address or pid) and exits with code 1, so a leaked handle fails the run instead of hanging CI
// or being hidden. The timer is unref'd: it only fires when something else keeps the process up.
// 120 s, not 10: BullMQ keeps a worker's stalled-jobs timer (30 s, re-armed) for a while after a
// close that gave up on a handler that never settles (test/redis/queue-partitions); the process
// still ends by itself (measured ~55 s). Shorter graces flag that as a leak. Known issue, see
// docs/scaling.md "Graceful shutdown".
const GRACE_MS = Number(process.env.OPEN_HANDLES_GRACE_MS ?? 120_000);

function describe(handle) {
  const name = handle?.constructor?.name ?? typeof handle;
  if (name === 'Socket' || name === 'TLSSocket') {
    const remote = handle.remoteAddress ? `${handle.remoteAddress}:${handle.remotePort}` : 'pipe';
    return `${name} ${remote} (local port ${handle.localPort ?? '-'})`;
  }
  if (name === 'Server') return `Server listening on ${JSON.stringify(handle.address?.())}`;
  if (name === 'ChildProcess')
    return `ChildProcess pid ${handle.pid}: ${handle.spawnargs?.join(' ')}`;
  return name;
}

export default function openHandlesWatchdog() {
  setTimeout(() => {
    const lines = [
      `\n!!! npm test: the process is still alive ${GRACE_MS} ms after the last test file; open handles leaked:`,
      `  resources: ${JSON.stringify(process.getActiveResourcesInfo())}`,
      ...process._getActiveHandles().map((handle) => `  ${describe(handle)}`),
      'Find where with: npx jest <files> --runInBand --detectOpenHandles\n',
    ];
    process.stderr.write(`${lines.join('\n')}\n`);
    process.exit(1);
  }, GRACE_MS).unref();
}
