import base from './playwright.config';
import { defineConfig } from '@playwright/test';
// Local only (not committed): other helpers' runs hold the shared ports; start just this spec's server.
export default defineConfig({
  ...base,
  webServer: [
    {
      command: 'sh web/serve.sh 18110',
      url: 'http://127.0.0.1:18110/api/event',
      reuseExistingServer: false,
      timeout: 60_000,
    },
  ],
});
