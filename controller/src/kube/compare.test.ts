import { isSubset, parseQuantity } from './compare.js';

describe('isSubset', () => {
  it('ignores fields only the live object has', () => {
    expect(isSubset({ a: 1, b: { c: 'x' } }, { a: 1, b: { c: 'x', d: 2 }, e: 3 })).toBe(true);
  });
  it('detects a changed or missing value', () => {
    expect(isSubset({ a: 1 }, { a: 2 })).toBe(false);
    expect(isSubset({ a: { b: 'x' } }, { a: {} })).toBe(false);
    expect(isSubset({ a: 'x' }, {})).toBe(false);
  });
  it('compares arrays by length and position', () => {
    expect(isSubset([{ name: 'a' }], [{ name: 'a', extra: 1 }])).toBe(true);
    expect(isSubset([{ name: 'a' }], [{ name: 'a' }, { name: 'b' }])).toBe(false);
    expect(isSubset([{ name: 'a' }, { name: 'b' }], [{ name: 'b' }, { name: 'a' }])).toBe(false);
  });
  it('treats zero values as equal to an omitted field', () => {
    expect(isSubset({ readOnly: false, emptyDir: {}, list: [] }, {})).toBe(true);
    expect(isSubset({ readOnly: true }, {})).toBe(false);
  });
  it('compares resource quantities by value, elsewhere strictly', () => {
    expect(
      isSubset(
        { resources: { limits: { cpu: '1000m', memory: '1024Mi' } } },
        { resources: { limits: { cpu: '1', memory: '1Gi' } } },
      ),
    ).toBe(true);
    expect(isSubset({ resources: { limits: { cpu: '2' } } }, { resources: { limits: { cpu: '1' } } })).toBe(false);
    expect(isSubset({ label: '1000m' }, { label: '1' })).toBe(false);
  });
  it('parses quantities', () => {
    expect(parseQuantity('500m')).toBe(0.5);
    expect(parseQuantity('2Gi')).toBe(2 * 2 ** 30);
    expect(parseQuantity('abc')).toBeUndefined();
  });
});
