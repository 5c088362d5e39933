// A small INI writer for puppet.conf and puppetdb.conf. Puppet's INI format has no quoting or escape
// sequences: a value runs to the end of its line. So instead of escaping, values that could break
// the structure (line breaks, NUL, other control characters) and keys outside Puppet's setting
// syntax are refused with an error naming the offending key.

export type IniScalar = string | number | boolean;

export interface IniSection {
  name: string;
  entries: ReadonlyArray<readonly [string, IniScalar]>;
}

export class IniValueError extends Error {
  constructor(
    readonly section: string,
    readonly key: string,
    reason: string,
  ) {
    super(`[${section}] ${key}: ${reason}`);
    this.name = 'IniValueError';
  }
}

const KEY = /^[A-Za-z][A-Za-z0-9_.-]*$/;
const SECTION = /^[A-Za-z][A-Za-z0-9_-]*$/;
// C0 controls (tab allowed), DEL, and the Unicode line/paragraph separators.
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u0008\u000a-\u001f\u007f\u2028\u2029]/;

function scalar(section: string, key: string, value: IniScalar): string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new IniValueError(section, key, 'number is not finite');
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (FORBIDDEN.test(value))
    throw new IniValueError(section, key, 'value must be a single line without control characters');
  if (value.trim() !== value) throw new IniValueError(section, key, 'value must not start or end with whitespace');
  return value;
}

/** Writes sections in the given order; within a section, entries in the given order (callers sort). */
export function writeIni(sections: readonly IniSection[]): string {
  const blocks: string[] = [];
  for (const section of sections) {
    if (!SECTION.test(section.name)) throw new IniValueError(section.name, '', 'invalid section name');
    const seen = new Set<string>();
    const lines = [`[${section.name}]`];
    for (const [key, value] of section.entries) {
      if (!KEY.test(key)) throw new IniValueError(section.name, key, 'invalid setting name');
      if (seen.has(key)) throw new IniValueError(section.name, key, 'duplicate setting');
      seen.add(key);
      lines.push(`${key} = ${scalar(section.name, key, value)}`);
    }
    blocks.push(lines.join('\n'));
  }
  return `${blocks.join('\n\n')}\n`;
}
