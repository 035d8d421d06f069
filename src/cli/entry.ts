import { runCli } from './main.js';

/** The process edge of the CLI: argv, stdout/stderr, signals and the exit code. */
const exitCode = await runCli(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  isTty: process.stdout.isTTY === true,
  onShutdownSignal(stop) {
    let signalled = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (signalled) {
        process.stderr.write(`triad: ${signal} again, exiting now\n`);
        process.exit(1);
      }
      signalled = true;
      stop().then(
        () => process.exit(0),
        (error: unknown) => {
          process.stderr.write(`triad: shutdown failed: ${(error as Error).message}\n`);
          process.exit(1);
        },
      );
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  },
});

// A started server keeps the event loop alive; every other command ends here.
if (exitCode !== 0 || process.argv[2] !== 'start') process.exitCode = exitCode;
