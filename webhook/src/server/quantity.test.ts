import { heapFlags, parseJvmSize, parseQuantity } from './quantity.js';

describe('parseQuantity', () => {
  it.each([
    ['4Gi', 4 * 2 ** 30],
    ['1536Mi', 1536 * 2 ** 20],
    ['2G', 2e9],
    ['500m', 0.5],
    ['1.5Gi', 1.5 * 2 ** 30],
    ['2e3', 2000],
    ['128974848', 128974848],
    ['1k', 1000],
    ['.5Ki', 512],
    [1024, 1024],
  ])('reads %p', (input, bytes) => {
    expect(parseQuantity(input)).toEqual({ ok: true, value: bytes });
  });

  it.each(['lots', '4GB', '4 Gi', '', '1.2.3', 'Gi', '4gi', true, null, {}])('rejects %p', (input) => {
    expect(parseQuantity(input).ok).toBe(false);
  });
});

describe('parseJvmSize', () => {
  it.each([
    ['512m', 512 * 2 ** 20],
    ['512M', 512 * 2 ** 20],
    ['2g', 2 * 2 ** 30],
    ['2G', 2 * 2 ** 30],
    ['1t', 2 ** 40],
    ['64k', 64 * 1024],
    ['1048576', 1048576],
  ])('reads %p', (input, bytes) => {
    expect(parseJvmSize(input)).toEqual({ ok: true, value: bytes });
  });

  it.each(['', '2gb', '1.5g', '-1g', 'g', '2 g', '2Gi'])('rejects %p', (input) => {
    expect(parseJvmSize(input).ok).toBe(false);
  });
});

describe('heapFlags', () => {
  it('takes the last -Xms and -Xmx, as the JVM does', () => {
    expect(heapFlags('-Xms1g -XX:+UseG1GC -Xmx2g -Xmx3g')).toEqual({ xms: '1g', xmx: '3g' });
    expect(heapFlags('-Dfoo=bar')).toEqual({});
  });
});
