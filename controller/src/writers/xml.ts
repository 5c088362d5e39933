// A small XML writer for logback.xml: element and attribute names are checked, attribute values and
// text are escaped, so user-supplied logger names and levels cannot add elements.

export interface XmlElement {
  name: string;
  attributes?: ReadonlyArray<readonly [string, string]>;
  children?: readonly XmlElement[];
  text?: string;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
// eslint-disable-next-line no-control-regex
const INVALID_XML_CHAR = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/;

function checkName(name: string): string {
  if (!NAME.test(name)) throw new Error(`invalid XML name ${JSON.stringify(name)}`);
  return name;
}

export function escapeXml(text: string): string {
  if (INVALID_XML_CHAR.test(text)) throw new Error('text contains characters XML 1.0 cannot represent');
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\r/g, '&#13;')
    .replace(/\n/g, '&#10;')
    .replace(/\t/g, '&#9;');
}

function element(node: XmlElement, depth: number): string {
  const pad = '    '.repeat(depth);
  const attrs = (node.attributes ?? []).map(([k, v]) => ` ${checkName(k)}="${escapeXml(v)}"`).join('');
  const open = `${pad}<${checkName(node.name)}${attrs}`;
  if (node.text !== undefined) return `${open}>${escapeXml(node.text)}</${node.name}>`;
  if (!node.children || node.children.length === 0) return `${open}/>`;
  return `${open}>\n${node.children.map((c) => element(c, depth + 1)).join('\n')}\n${pad}</${node.name}>`;
}

export function writeXml(root: XmlElement): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${element(root, 0)}\n`;
}
