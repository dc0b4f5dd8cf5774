import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli';
import type { CommandIo } from '../src/io';
import { adjustedCount, probabilityOf } from '../src/report/adjusted-count';
import type { Report } from '../src/report/types';

const fixtures = join(__dirname, 'fixtures/report');
const paymentsFile = join(fixtures, 'payments.traces.jsonl');

async function run(args: string[]) {
  let stdout = '';
  let stderr = '';
  const io: CommandIo = {
    out: (t) => {
      stdout += t;
    },
    err: (t) => {
      stderr += t;
    },
    env: {},
    cwd: fixtures,
  };
  const code = await main(['report', ...args], io);
  return { code, stdout, stderr };
}

describe('adjusted counts from ot=th', () => {
  it.each([
    ['ot=th:c', 0.25, 4],
    ['ot=th:8', 0.5, 2],
    ['ot=th:0', 1, 1],
    ['vendor=x,ot=rv:0123;th:e', 0.125, 8],
  ])('%s → p %d, count %d', (ts, p, n) => {
    expect(probabilityOf(ts)).toBe(p);
    expect(adjustedCount(ts)).toBe(n);
  });
  it('is undefined without th', () => {
    expect(adjustedCount('')).toBeUndefined();
    expect(adjustedCount('ot=rv:abcdef01234567')).toBeUndefined();
  });
});

describe('strata report --file (a file the exporter wrote)', () => {
  it('prints the layer breakdown, the outliers and the sampling summary', async () => {
    const { code, stdout, stderr } = await run(['--file', 'payments.traces.jsonl']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^payments {2}POST \/charge {3}29 kept \(19 baseline ≈ 76 requests\)/m);
    expect(stdout).toMatch(/^ {2}app +100\.0% /m);
    expect(stdout).toMatch(/^ {2}dominant layer: app$/m);
    expect(stdout).toMatch(/^ {2}app +\|[▁-█ ]+\| max /m);
    expect(stdout).toContain('== Outliers: 10 traces ==');
    expect(stdout).toMatch(/^ {2}error +payments +POST \/charge +\d/m);
    expect(stdout).toMatch(/baseline kept +19 at p = 0\.25/);
    expect(stdout).toMatch(/outlier traces +10 \(slow 6, error 4\)/);
    expect(stdout).toMatch(/estimated requests +≈ 76 /);
  });

  it('--json gives the same numbers to machines', async () => {
    const { code, stdout } = await run(['--file', paymentsFile, '--json']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as Report;
    expect(report.sampling).toMatchObject({
      keptLocalTraces: 29,
      baselineKept: 19,
      byReason: { baseline: 19, slow: 6, error: 4 },
      estimatedRequests: 76,
      probabilities: [0.25],
    });
    const [route] = report.routes;
    expect(route).toMatchObject({ service: 'payments', route: 'POST /charge', basis: 'baseline' });
    expect(route.layers.map((l) => l.layer)).toEqual(['app']);
    // Errors are answered at once (~4 ms); the slow ones waited 300 ms.
    const slow = report.outliers.filter((o) => o.reason === 'slow');
    expect(slow).toHaveLength(6);
    for (const o of slow) expect(o.durationMs).toBeGreaterThan(300);
    expect(report.outliers.every((o) => /^[0-9a-f]{32}$/.test(o.traceId))).toBe(true);
  });

  it('names the file and line of a malformed line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-report-'));
    const lines = readFileSync(paymentsFile, 'utf8').split('\n');
    writeFileSync(join(dir, 'bad.jsonl'), [lines[0], '{"resourceSpans": [', lines[1]].join('\n'));
    writeFileSync(join(dir, 'other.jsonl'), `${lines[0]}\n{"hello": 1}\n`);
    const bad = await run(['--file', join(dir, 'bad.jsonl')]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(new RegExp(`^strata report: ${join(dir, 'bad.jsonl')}:2: .*JSON`));
    const other = await run(['--file', join(dir, 'other.jsonl')]);
    expect(other.stderr).toContain('other.jsonl:2: not an OTLP export request (no resourceSpans)');
  });

  it('says so when the file is missing or holds no traces', async () => {
    const missing = await run(['--file', 'nope.jsonl']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(`strata report: ${join(fixtures, 'nope.jsonl')}: no such file\n`);
    const dir = mkdtempSync(join(tmpdir(), 'strata-report-'));
    writeFileSync(join(dir, 'empty.jsonl'), '');
    const empty = await run(['--file', join(dir, 'empty.jsonl'), '--json']);
    expect(empty.code).toBe(1);
    expect(JSON.parse(empty.stdout).error.code).toBe('STRATA_REPORT_EMPTY');
  });

  it('rejects bad usage with exit code 2', async () => {
    expect((await run([])).code).toBe(2);
    expect((await run(['--file', 'a', '--jaeger', 'http://x'])).code).toBe(2);
    expect((await run(['--jaeger', 'not a url'])).code).toBe(2);
  });
});

describe('strata report --jaeger (recorded Jaeger API responses)', () => {
  let server: Server;
  let base: string;
  const asked: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://jaeger');
      asked.push(`${url.pathname}${url.search}`);
      const name =
        url.pathname === '/api/services'
          ? 'jaeger-services.json'
          : url.pathname === '/api/traces' &&
              ['gateway', 'catalog'].includes(url.searchParams.get('service') ?? '')
            ? `jaeger-traces-${url.searchParams.get('service')}.json`
            : undefined;
      res.setHeader('content-type', 'application/json');
      if (!name) {
        res.statusCode = 404;
        res.end('{"data":null,"errors":[{"code":404,"msg":"not found"}]}');
        return;
      }
      res.end(readFileSync(join(fixtures, name)));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('reads every service, joins the traces and links outliers to Jaeger', async () => {
    const { code, stdout, stderr } = await run(['--jaeger', base, '--json']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(asked).toContain('/api/services');
    expect(asked).toContain('/api/traces?service=gateway&limit=1000&lookback=1h');
    expect(asked.some((a) => a.includes('service=jaeger'))).toBe(false);
    const report = JSON.parse(stdout) as Report;
    expect(report.services).toEqual(['catalog', 'gateway']);
    const route = (service: string, name: string) =>
      report.routes.find((r) => r.service === service && r.route === name);
    expect(route('catalog', 'GET /products/:id')?.dominantLayer).toBe('db');
    expect(route('gateway', 'GET /api/products/:id')?.dominantLayer).toBe('http');
    // The breakdown comes from the baseline trace only, not the slow outlier.
    expect(route('gateway', 'GET /api/cart/:user')).toMatchObject({
      kept: 2,
      baseline: 1,
      basis: 'baseline',
    });
    expect(report.outliers).toEqual([
      expect.objectContaining({
        reason: 'slow',
        service: 'gateway',
        route: 'GET /api/cart/:user',
        durationMs: 201,
        dominantLayer: 'cache',
        jaegerUrl: `${base}/trace/6df92f3577b34da6a3ce929d0e0e4738`,
      }),
      expect.objectContaining({
        reason: 'error',
        service: 'catalog',
        dominantLayer: 'db',
        alsoKept: ['gateway (callee)'],
      }),
    ]);
    // Two baseline traces at p = 0.25 (one crossed two services, counted once).
    expect(report.sampling).toMatchObject({ baselineKept: 3, estimatedRequests: 8 });
  });

  it('prints Jaeger links in the text report', async () => {
    const { stdout } = await run(['--jaeger', base, '--service', 'gateway']);
    expect(stdout).toContain(`${base}/trace/6df92f3577b34da6a3ce929d0e0e4738`);
  });

  it('says plainly when Jaeger is unreachable', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const { code, stderr } = await run(['--jaeger', `http://127.0.0.1:${port}`]);
    expect(code).toBe(1);
    expect(stderr).toBe(
      `strata report: cannot reach Jaeger at http://127.0.0.1:${port} (ECONNREFUSED); is it running? (deploy/compose starts one on :16686)\n`,
    );
  });

  it('reports a Jaeger error status', async () => {
    const { code, stderr } = await run(['--jaeger', base, '--service', 'nosuch']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^strata report: Jaeger answered 404 to \/api\/traces\?service=nosuch/);
  });
});
