/** What a CLI command function printed, and its exit status. */
export interface CliRun {
  code: number;
  out: string[];
  err: string[];
}

/** Runs a command function in-process, capturing what it prints on stdout and stderr, line by line. */
export async function runCli(command: (args: string[], env: NodeJS.ProcessEnv) => Promise<number>, args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(...a.join(' ').split('\n')));
  const error = jest.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(...a.join(' ').split('\n')));
  try {
    return { code: await command(args, env), out, err };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}
