import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReport } from '../src/report/build-report';
import { spansOfJaegerResponse } from '../src/report/read-jaeger';
import { readOtlpFile } from '../src/report/read-otlp-file';
import { renderHtml } from '../src/report/render-html';

// Debian's chromium (apt-get install chromium), driven by playwright-core: no browser download.
const CHROMIUM = '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const fixtures = join(__dirname, 'fixtures/report');

describe('strata report --html', () => {
  let browser: Browser;
  beforeAll(async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
  }, 30_000);
  afterAll(async () => {
    await browser?.close();
  });

  async function open(html: string, screenshot: string) {
    const file = join(mkdtempSync(join(tmpdir(), 'strata-html-')), 'report.html');
    writeFileSync(file, html);
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    // Self-contained: any request beyond the file itself is a failure.
    page.on('request', (request) => {
      if (request.url() !== `file://${file}`) problems.push(`fetched ${request.url()}`);
    });
    await page.goto(`file://${file}`);
    await page.screenshot({ path: join(tmpdir(), screenshot), fullPage: true });
    return { page, problems };
  }

  it('draws one stacked chart per route, one series per layer, with no console errors', async () => {
    const spans = [
      ...spansOfJaegerResponse(
        JSON.parse(readFileSync(join(fixtures, 'jaeger-traces-gateway.json'), 'utf8')),
      ),
      ...readOtlpFile(join(fixtures, 'payments.traces.jsonl')),
    ];
    const report = buildReport(spans, {
      sources: ['fixtures'],
      jaegerUrl: 'http://localhost:16686',
    });
    const html = renderHtml(report);
    expect(html).not.toMatch(/<script[^>]+src=/);
    const { page, problems } = await open(html, 'strata-report-html.png');
    // What the page's Chart.js instances hold (the test's tsconfig has no DOM types).
    interface PageChart {
      canvas: { id: string; getBoundingClientRect(): { height: number } };
      data: { datasets: { label: string }[] };
      options: { scales: { y: { stacked: boolean } } };
    }
    const charts = await page.evaluate(() =>
      (globalThis as unknown as { strataCharts: PageChart[] }).strataCharts.map((c) => ({
        id: c.canvas.id,
        series: c.data.datasets.map((d) => d.label),
        stacked: c.options.scales.y.stacked,
        height: c.canvas.getBoundingClientRect().height,
      })),
    );
    expect(charts).toHaveLength(report.routes.length);
    report.routes.forEach((route, i) => {
      expect(charts[i].series).toEqual(route.layers.map((l) => l.layer));
      expect(charts[i].stacked).toBe(true);
      expect(charts[i].height).toBeGreaterThan(100);
    });
    const rows = await page.locator('#outliers tr').count();
    expect(rows).toBe(report.outliers.length + 1);
    await expect(page.locator('#outliers a').first().getAttribute('href')).resolves.toMatch(
      /^http:\/\/localhost:16686\/trace\/[0-9a-f]{32}$/,
    );
    expect(problems).toEqual([]);
    await page.close();
  }, 30_000);
});
