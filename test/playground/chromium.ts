/**
 * Debian's Chromium (/usr/bin/chromium, which .ci/run installs), driven by playwright-core:
 * headless, in a fresh profile folder (a persistent context: playwright takes the profile folder
 * as an argument, not as --user-data-dir) that is removed on close, and without the background
 * services (component updates, sync, QUIC, first-run) whose connections this machine's closed
 * network refuses.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const chromiumPath = '/usr/bin/chromium';

export interface Chromium {
  context: BrowserContext;
  /** Folder for downloads, inside the profile folder (removed on close). */
  downloads: string;
  close(): Promise<void>;
}

export async function launchChromium(): Promise<Chromium> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'resdsl-chromium-'));
  const downloads = path.join(profile, 'downloads');
  fs.mkdirSync(downloads);
  try {
    const context = await chromium.launchPersistentContext(path.join(profile, 'profile'), {
      executablePath: chromiumPath,
      headless: true,
      downloadsPath: downloads,
      timeout: 60_000,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      viewport: { width: 1400, height: 900 },
      acceptDownloads: true,
    });
    return {
      context,
      downloads,
      async close() {
        try {
          await context.close();
        } finally {
          fs.rmSync(profile, { recursive: true, force: true });
        }
      },
    };
  } catch (e) {
    fs.rmSync(profile, { recursive: true, force: true });
    throw e;
  }
}
