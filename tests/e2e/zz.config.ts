import { defineConfig } from '@playwright/test';
import base from './playwright.config';
export default defineConfig({
  ...base,
  webServer: [
    {
      command: 'sh web/serve.sh 18081 --role gate --zone HALL',
      url: 'http://127.0.0.1:18081/api/event',
      reuseExistingServer: false,
      timeout: 120_000,
    },
  ],
});
