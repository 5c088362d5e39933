// A small HOCON writer for the puppetserver conf.d files. Every string is written as a quoted HOCON
// string (HOCON quoted strings use JSON escaping), so a value can never close an object, start a
// substitution (${...}) or an include. Object keys are sorted, so output is deterministic; keys
// that are not plain identifiers are quoted (a dot in an unquoted key would mean a path).

export type HoconValue = string | number | boolean | readonly HoconValue[] | HoconObject;
export interface HoconObject {
  readonly [key: string]: HoconValue | undefined;
}

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const INDENT = '    ';

function key(name: string): string {
  return PLAIN_KEY.test(name) ? name : JSON.stringify(name);
}

function isObject(value: HoconValue): value is HoconObject {
  return typeof value === 'object' && !Array.isArray(value);
}

function entries(object: HoconObject): [string, HoconValue][] {
  return Object.keys(object)
    .sort()
    .flatMap((k) => (object[k] === undefined ? [] : [[k, object[k]] as [string, HoconValue]]));
}

function value(v: HoconValue, depth: number): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`HOCON number is not finite: ${v}`);
    return String(v);
  }
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  const pad = INDENT.repeat(depth + 1);
  const end = INDENT.repeat(depth);
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    if (v.every((item) => !isObject(item) && !Array.isArray(item)))
      return `[${v.map((item) => value(item, depth)).join(', ')}]`;
    return `[\n${v.map((item) => `${pad}${value(item, depth + 1)}`).join(',\n')}\n${end}]`;
  }
  const list = entries(v as HoconObject);
  if (list.length === 0) return '{}';
  return `{\n${list.map(([k, item]) => `${pad}${key(k)}: ${value(item, depth + 1)}`).join('\n')}\n${end}}`;
}

/** Writes a root object without braces: one `key: value` per top-level key, sorted. */
export function writeHocon(root: HoconObject): string {
  return `${entries(root)
    .map(([k, v]) => `${key(k)}: ${value(v, 0)}`)
    .join('\n')}\n`;
}
