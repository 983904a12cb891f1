import { defineConfig } from '@playwright/test';
import { e2ePort } from './web/ports';

// GATEHOUSE_EXTERNAL_SERVER=1: test a server that is already running at GATEHOUSE_URL
// (a mock, or a `gatehouse serve` started by hand) instead of starting one.
const external = process.env.GATEHOUSE_EXTERNAL_SERVER === '1';

export default defineConfig({
  testDir: './web',
  outputDir: './test-results',
  reporter: 'list',
  workers: 1,
  fullyParallel: false,
  retries: 0,
  forbidOnly: !!process.env.CI,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  projects: [
    {
      name: 'chromium',
      use: {
        browserName: 'chromium',
        launchOptions: {
          // Debian's Chromium: Playwright must never download a browser of its own.
          executablePath: '/usr/bin/chromium',
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-quic',
            '--no-first-run',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
          ],
        },
        baseURL: process.env.GATEHOUSE_URL ?? `http://127.0.0.1:${e2ePort(18080)}`,
        viewport: { width: 1280, height: 900 },
        locale: 'fr-FR',
        timezoneId: 'Africa/Bamako',
      },
    },
  ],
  webServer: external
    ? undefined
    : [
        {
          command: `sh web/serve.sh ${e2ePort(18080)}`,
          url: `http://127.0.0.1:${e2ePort(18080)}/api/event`,
          reuseExistingServer: false,
          timeout: 60_000,
          stdout: 'pipe',
          stderr: 'pipe',
        },
        {
          // A kiosk gate station: `serve --role gate --zone HALL` opens the gate screen directly.
          command: `sh web/serve.sh ${e2ePort(18081)} --role gate --zone HALL`,
          url: `http://127.0.0.1:${e2ePort(18081)}/api/event`,
          reuseExistingServer: false,
          timeout: 60_000,
          stdout: 'pipe',
          stderr: 'pipe',
        },
        {
          // The gate station tests (gate.spec.ts): a kiosk gate whose demo event started two
          // days ago, so that a one-day badge has lapsed and the demonstration zone is open.
          command: `sh web/serve.sh ${e2ePort(18083)} --role gate --zone HALL`,
          url: `http://127.0.0.1:${e2ePort(18083)}/api/event`,
          env: { GATEHOUSE_E2E_STARTING: new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10) },
          reuseExistingServer: false,
          timeout: 60_000,
          stdout: 'pipe',
          stderr: 'pipe',
        },
        {
          // A registration desk: `serve --role desk` opens the desk screen directly (desk.spec.ts).
          command: `sh web/serve.sh ${e2ePort(18082)} --role desk`,
          url: `http://127.0.0.1:${e2ePort(18082)}/api/event`,
          reuseExistingServer: false,
          timeout: 60_000,
          stdout: 'pipe',
          stderr: 'pipe',
        },
        {
          // The organiser console (admin.spec.ts): `serve --role admin` opens it directly.
          command: `sh web/serve.sh ${e2ePort(18084)} --role admin`,
          url: `http://127.0.0.1:${e2ePort(18084)}/api/event`,
          reuseExistingServer: false,
          timeout: 60_000,
          stdout: 'pipe',
          stderr: 'pipe',
        },
        {
          // The organiser's whole flow (console-flow.spec.ts): setup, import, scans, audit.
          command: `sh web/serve.sh ${e2ePort(18085)} --role admin`,
          url: `http://127.0.0.1:${e2ePort(18085)}/api/event`,
          reuseExistingServer: false,
          timeout: 60_000,
          stdout: 'pipe',
          stderr: 'pipe',
        },
        {
          // The badge template editor (template.spec.ts): its edits reach the preview and the
          // badges that `gatehouse badges` prints from this database.
          command: `sh web/serve.sh ${e2ePort(18086)} --role admin`,
          url: `http://127.0.0.1:${e2ePort(18086)}/api/event`,
          reuseExistingServer: false,
          timeout: 60_000,
          stdout: 'pipe',
          stderr: 'pipe',
        },
        {
          // The console's stations and pairing (stations.spec.ts): the test makes this
          // database a sync hub and pairs a station with it through the CLI.
          command: `sh web/serve.sh ${e2ePort(18087)} --role admin`,
          url: `http://127.0.0.1:${e2ePort(18087)}/api/event`,
          reuseExistingServer: false,
          timeout: 60_000,
          stdout: 'pipe',
          stderr: 'pipe',
        },
        {
          // Reports and the dashboard's day picker (reports.spec.ts): the demo event
          // started yesterday, so that there is a past venue day to review.
          command: `sh web/serve.sh ${e2ePort(18088)} --role admin`,
          url: `http://127.0.0.1:${e2ePort(18088)}/api/event`,
          env: { GATEHOUSE_E2E_STARTING: new Date(Date.now() - 86_400_000).toISOString().slice(0, 10) },
          reuseExistingServer: false,
          timeout: 60_000,
          stdout: 'pipe',
          stderr: 'pipe',
        },
        {
          // Wrong PINs are throttled per address (signin-throttle.spec.ts): a server of its
          // own, so the wait it provokes holds up no other test.
          command: `sh web/serve.sh ${e2ePort(18089)} --role gate --zone HALL`,
          url: `http://127.0.0.1:${e2ePort(18089)}/api/event`,
          reuseExistingServer: false,
          timeout: 60_000,
          stdout: 'pipe',
          stderr: 'pipe',
        },
        {
          // A standalone console joins a hub from its Stations tab (join-hub.spec.ts): serve
          // then reopens on the joined database, on this same port.
          command: `sh web/serve.sh ${e2ePort(18090)} --role admin`,
          url: `http://127.0.0.1:${e2ePort(18090)}/api/event`,
          reuseExistingServer: false,
          timeout: 60_000,
          stdout: 'pipe',
          stderr: 'pipe',
        },
        {
          // The organiser's day before opening (live.spec.ts): two consoles on one station,
          // revocation by name; the test pairs a gate and a desk with it as a hub.
          command: `sh web/serve.sh ${e2ePort(18097)} --role admin`,
          url: `http://127.0.0.1:${e2ePort(18097)}/api/event`,
          reuseExistingServer: false,
          timeout: 60_000,
          stdout: 'pipe',
          stderr: 'pipe',
        },
        {
          // Security vetting (vetting.spec.ts): the console's vetting screen, a bulk decision.
          command: `sh web/serve.sh ${e2ePort(18106)} --role admin`,
          url: `http://127.0.0.1:${e2ePort(18106)}/api/event`,
          reuseExistingServer: false,
          timeout: 60_000,
          stdout: 'pipe',
          stderr: 'pipe',
        },
        {
          // Going live (going-live.spec.ts): printed badges and access changes, the configuration
          // pushed live to open screens, a reload that keeps the session, the desk's PDF fallback.
          command: `sh web/serve.sh ${e2ePort(18110)}`,
          url: `http://127.0.0.1:${e2ePort(18110)}/api/event`,
          reuseExistingServer: false,
          timeout: 60_000,
          stdout: 'pipe',
          stderr: 'pipe',
        },
      ],
});
