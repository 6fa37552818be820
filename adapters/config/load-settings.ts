// The one reader of process.env (Biome's style/noProcessEnv allows it nowhere else but the
// stand-alone prisma.config.ts and scripts/prisma-generate.ts). Each command asks for its
// sections once, at start; the parsed settings are then handed to the code that needs them.
//
// Values are trimmed and an empty string counts as unset. Every problem of every asked-for
// section is collected and reported together, each naming its variable, what is wrong and an
// example; a secret's value (or a URL that may carry a password) is never echoed.
import {
  COMMANDS,
  SECTIONS,
  VARIABLES,
  type CommandName,
  type SectionName,
  type Settings,
  type SettingsFor,
  type VariableName,
} from './settings.schema.ts';

export type Environment = Readonly<Record<string, string | undefined>>;

export interface SettingsProblem {
  variable: string;
  /** e.g. 'must be slack or console (got "email"); e.g. KAOPING_MESSENGER=console' */
  message: string;
}

export class SettingsError extends Error {
  readonly problems: readonly SettingsProblem[];

  constructor(problems: readonly SettingsProblem[]) {
    super(problems.map((p) => `${p.variable}: ${p.message}`).join('\n'));
    this.name = 'SettingsError';
    this.problems = problems;
  }
}

function cleaned(env: Environment, names: readonly string[]): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const name of names) {
    const v = env[name]?.trim();
    out[name] = v ? v : undefined;
  }
  return out;
}

function describe(variable: string, message: string, raw: string | undefined): SettingsProblem {
  const doc = variable in VARIABLES ? VARIABLES[variable as VariableName].doc : undefined;
  const got = raw === undefined || doc?.secret ? '' : ` (got ${JSON.stringify(raw)})`;
  const example = doc ? `; e.g. ${variable}=${doc.example}` : '';
  return { variable, message: `${message}${got}${example}` };
}

/** The given sections parsed from `env`; throws SettingsError listing every problem. */
export function loadSections<const S extends SectionName>(
  sections: readonly S[],
  env: Environment = process.env,
): Pick<Settings, S> {
  const out: Partial<Record<SectionName, unknown>> = {};
  const problems: SettingsProblem[] = [];
  const seen = new Set<string>();
  for (const name of sections) {
    const { variables, schema } = SECTIONS[name];
    const raw = cleaned(env, variables);
    const result = schema.safeParse(raw);
    if (result.success) {
      out[name] = result.data;
      continue;
    }
    for (const issue of result.error.issues) {
      const variable = String(issue.path[0] ?? name);
      const problem = describe(variable, issue.message, raw[variable]);
      const key = `${problem.variable}\n${problem.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      problems.push(problem);
    }
  }
  if (problems.length) throw new SettingsError(problems);
  return out as Pick<Settings, S>;
}

/** The sections `command` needs (settings.schema.ts COMMANDS). */
export function settingsFor<C extends CommandName>(command: C, env: Environment = process.env): SettingsFor<C> {
  return loadSections(COMMANDS[command], env) as SettingsFor<C>;
}

/** The report printed when a command's settings are wrong. */
export function formatSettingsError(command: string, error: SettingsError): string {
  const n = error.problems.length;
  return [
    `kaoping ${command}: ${n === 1 ? 'a setting is' : `${n} settings are`} wrong:`,
    ...error.problems.map((p) => `  ${p.variable}: ${p.message}`),
    'See "Configuration" in README.md.',
    '',
  ].join('\n');
}

/**
 * For entry points: the command's settings, or the problems on stderr and exit code 2 (the code
 * the entry points already used for "cannot start with this configuration").
 */
export function settingsOrExit<C extends CommandName>(command: C): SettingsFor<C> {
  try {
    return settingsFor(command);
  } catch (error) {
    if (!(error instanceof SettingsError)) throw error;
    process.stderr.write(formatSettingsError(command, error));
    process.exit(2);
  }
}

/** The environment a child process inherits, with `overrides` (tests and benches spawning commands). */
export function environmentWith(overrides: Environment): NodeJS.ProcessEnv {
  return { ...process.env, ...overrides };
}
