import { describe, expect, it } from 'vitest';
import { parseDuration, parseRate, parseSize } from '../src/index';

describe('parseDuration', () => {
  it.each([
    ['250ms', 250],
    ['2s', 2000],
    ['1.5s', 1500],
    ['1m', 60_000],
    ['2min', 120_000],
    ['1h', 3_600_000],
    ['1m30s', 90_000],
    ['0s', 0],
    [' 5s ', 5000],
    ['10', 10],
    [10, 10],
    [0.5, 0.5],
  ] as const)('reads %j as %d ms', (input, ms) => {
    expect(parseDuration(input)).toBe(ms);
  });

  it.each(['10 sec', '5 s', '1d', 's', '-1s', '', '1.s', 'ms', '1m 30s'])('rejects %j', (input) => {
    expect(() => parseDuration(input)).toThrow(
      `${JSON.stringify(input)} is not a duration — expected a duration such as 250ms`,
    );
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])('rejects the number %d', (input) => {
    expect(() => parseDuration(input)).toThrow(TypeError);
  });
});

describe('parseSize', () => {
  it.each([
    ['64MB', 64_000_000],
    ['1GB', 1e9],
    ['1kb', 1000],
    ['512KiB', 524_288],
    ['1MiB', 1_048_576],
    ['2GiB', 2 * 2 ** 30],
    ['1.5MB', 1_500_000],
    ['100B', 100],
    ['64 MB', 64_000_000],
    ['4096', 4096],
    [4096, 4096],
  ] as const)('reads %j as %d bytes', (input, bytes) => {
    expect(parseSize(input)).toBe(bytes);
  });

  it.each(['64M', '64 megs', 'MB', '1TB', '-1MB', ''])('rejects %j', (input) => {
    expect(() => parseSize(input)).toThrow(
      `${JSON.stringify(input)} is not a size — expected a size such as 512KiB, 64MB or 1GiB`,
    );
  });

  it.each([1.5, -1])('rejects the number %d (bytes are whole)', (input) => {
    expect(() => parseSize(input)).toThrow(TypeError);
  });
});

describe('parseRate', () => {
  it.each([
    ['50/s', 50],
    ['50 / sec', 50],
    ['3000/min', 50],
    ['120/m', 2],
    ['7200/h', 2],
    ['0/s', 0],
    ['2.5/s', 2.5],
    ['50', 50],
    [50, 50],
  ] as const)('reads %j as %d per second', (input, perSecond) => {
    expect(parseRate(input)).toBe(perSecond);
  });

  it.each(['50/day', '50 per second', '/s', '-1/s', '50/'])('rejects %j', (input) => {
    expect(() => parseRate(input)).toThrow(
      `${JSON.stringify(input)} is not a rate — expected a rate such as 50/s, 3000/min`,
    );
  });
});
