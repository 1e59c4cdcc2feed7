/** A small, strict parser for `--name value` and `--flag` options and positional arguments. */
import { UsageError } from './errors.ts'

export interface ParsedArgs {
  positional: string[]
  options: Record<string, string>
  flags: Set<string>
}

export function parseArgs(
  args: string[],
  spec: { options?: readonly string[]; flags?: readonly string[] },
): ParsedArgs {
  const options: Record<string, string> = {}
  const flags = new Set<string>()
  const positional: string[] = []
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!
    if (!arg.startsWith('--')) {
      positional.push(arg)
      continue
    }
    const [name, inline] = arg.slice(2).split('=', 2) as [string, string | undefined]
    if (spec.flags?.includes(name)) {
      flags.add(name)
    } else if (spec.options?.includes(name)) {
      const value = inline ?? args[++i]
      if (value === undefined || value.startsWith('--')) throw new UsageError(`--${name} needs a value`)
      options[name] = value
    } else {
      throw new UsageError(`unknown option --${name}`)
    }
  }
  return { positional, options, flags }
}

export function required(parsed: ParsedArgs, name: string): string {
  const value = parsed.options[name]
  if (!value) throw new UsageError(`--${name} is required`)
  return value
}
