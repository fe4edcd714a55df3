// Test support: Debian's Chromium driven by playwright-core, as the dashboard's page tests use it.
import { execFileSync } from 'node:child_process';
import { chromium, type Browser } from 'playwright-core';

const chromiumPath = (): string => {
  try {
    return execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
};

/** A headless Chromium (CHROMIUM_PATH, else the one on the PATH), or why it cannot start and how to install it. */
export const launchHeadlessChromium = async (): Promise<
  { readonly browser: Browser } | { readonly problem: string }
> => {
  const executablePath = process.env['CHROMIUM_PATH'] ?? chromiumPath();
  try {
    return {
      browser: await chromium.launch({
        executablePath,
        args: [
          '--no-sandbox',
          '--headless',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--no-first-run',
          '--disable-sync',
        ],
      }),
    };
  } catch (error) {
    return {
      problem: `cannot launch Chromium at "${executablePath}" (${error instanceof Error ? error.message.split('\n')[0] : String(error)}): install it with \`apt-get install -y chromium\` or set CHROMIUM_PATH`,
    };
  }
};
