/** The `costspan` dispatcher: finds the command named by the leading words and runs it. */
import { createRequire } from 'node:module';
import { type Command, type CommandIo, EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError } from './command.js';
import { COMMANDS } from './commands/index.js';
import { table } from './format.js';

const version = (createRequire(import.meta.url)('../package.json') as { version: string }).version;

export async function main(
  argv: readonly string[],
  io: CommandIo,
  commands: readonly Command[] = COMMANDS,
): Promise<number> {
  const args = [...argv];
  const first = args[0];
  if (first === undefined) {
    io.err(overview(commands, []));
    return EXIT_USAGE;
  }
  if (first === '--help' || first === '-h' || first === 'help') {
    if (args.length > 1 && first === 'help') return main([...args.slice(1), '--help'], io, commands);
    io.out(overview(commands, []));
    return EXIT_OK;
  }
  if (first === '--version' || first === '-v') {
    io.out(version);
    return EXIT_OK;
  }

  const command = longestMatch(commands, args);
  if (command === undefined) {
    const words = leadingWords(args);
    const group = commands.filter((c) => words.length > 0 && startsWith(c.path, words));
    if (group.length > 0) {
      const wantsHelp = args.includes('--help') || args.includes('-h');
      (wantsHelp ? io.out : io.err)(overview(group, words));
      return wantsHelp ? EXIT_OK : EXIT_USAGE;
    }
    io.err(`costspan: unknown command '${words.join(' ') || first}'\nRun 'costspan --help' for the list of commands.`);
    return EXIT_USAGE;
  }

  const rest = args.slice(command.path.length);
  const name = `costspan ${command.path.join(' ')}`;
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(command.help);
    return EXIT_OK;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`${name}: ${error.message}\nRun '${name} --help' for usage.`);
      return EXIT_USAGE;
    }
    io.err(`${name}: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT_FAILURE;
  }
}

function longestMatch(commands: readonly Command[], args: string[]): Command | undefined {
  let best: Command | undefined;
  for (const command of commands) {
    if (startsWith(args, command.path) && (best === undefined || command.path.length > best.path.length))
      best = command;
  }
  return best;
}

function startsWith(list: readonly string[], prefix: readonly string[]): boolean {
  return prefix.length <= list.length && prefix.every((word, i) => list[i] === word);
}

function leadingWords(args: string[]): string[] {
  const words: string[] = [];
  for (const arg of args) {
    if (arg.startsWith('-')) break;
    words.push(arg);
  }
  return words;
}

function overview(commands: readonly Command[], prefix: readonly string[]): string {
  const head = prefix.length === 0 ? 'costspan' : `costspan ${prefix.join(' ')}`;
  return [
    `Usage: ${head} <command> [options]`,
    '',
    prefix.length === 0 ? 'What did this AI request cost? Commands:' : 'Commands:',
    table(commands.map((c) => [`  ${c.path.join(' ')}`, c.summary])),
    '',
    `Run '${head} <command> --help' for a command's options.${prefix.length === 0 ? ` costspan ${version}` : ''}`,
  ].join('\n');
}
