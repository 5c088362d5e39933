import { writeIni, IniValueError } from './ini.js';
import { writeHocon } from './hocon.js';
import { escapeXml, writeXml } from './xml.js';

describe('writeIni', () => {
  it('writes sections and entries in order', () => {
    expect(
      writeIni([
        {
          name: 'main',
          entries: [
            ['confdir', '/etc/x'],
            ['manage_internal_file_permissions', false],
          ],
        },
        { name: 'server', entries: [['ca_ttl', 157680000]] },
      ]),
    ).toBe('[main]\nconfdir = /etc/x\nmanage_internal_file_permissions = false\n\n[server]\nca_ttl = 157680000\n');
  });

  it.each([
    ['a line break', 'x\n[agent]\nserver = evil'],
    ['a carriage return', 'x\rserver = evil'],
    ['a NUL', 'x\u0000'],
    ['a line separator', 'x\u2028y'],
    ['leading whitespace', ' x'],
  ])('refuses a value with %s', (_what, value) => {
    expect(() => writeIni([{ name: 'main', entries: [['k', value]] }])).toThrow(IniValueError);
  });

  it.each(['a b', 'a=b', '[x]', '', 'x\n'])('refuses the key %j', (key) => {
    expect(() => writeIni([{ name: 'main', entries: [[key, 'v']] }])).toThrow(/invalid setting name/);
  });

  it('refuses duplicate keys', () => {
    expect(() =>
      writeIni([
        {
          name: 'main',
          entries: [
            ['a', '1'],
            ['a', '2'],
          ],
        },
      ]),
    ).toThrow(/duplicate/);
  });
});

describe('writeHocon', () => {
  it('sorts keys, quotes every string with JSON escaping and quotes non-identifier keys', () => {
    expect(writeHocon({ b: { 'z.y': 'a"}\n${evil}', a: [1, 'x'], e: {}, f: [] }, a: true })).toBe(
      'a: true\nb: {\n    a: [1, "x"]\n    e: {}\n    f: []\n    "z.y": "a\\"}\\n${evil}"\n}\n',
    );
  });

  it('writes arrays of objects one per line and drops undefined members', () => {
    expect(writeHocon({ r: [{ n: 'a', x: undefined }, { n: 'b' }] })).toBe(
      'r: [\n    {\n        n: "a"\n    },\n    {\n        n: "b"\n    }\n]\n',
    );
  });

  it('refuses non-finite numbers', () => {
    expect(() => writeHocon({ a: Number.NaN })).toThrow(/finite/);
  });
});

describe('writeXml', () => {
  it('escapes attribute values and text', () => {
    expect(escapeXml(`<a href="x">'&'\n`)).toBe('&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&#10;');
    expect(writeXml({ name: 'c', attributes: [['n', '"/><evil/>']], children: [{ name: 'p', text: '%d <x>' }] })).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<c n="&quot;/&gt;&lt;evil/&gt;">\n    <p>%d &lt;x&gt;</p>\n</c>\n',
    );
  });

  it('refuses invalid element names and characters XML cannot hold', () => {
    expect(() => writeXml({ name: 'a b' })).toThrow(/invalid XML name/);
    expect(() => escapeXml('\u0001')).toThrow(/cannot represent/);
  });
});
