/**
 * The first sign-in of a new installation, in a real browser against the real server: one-time
 * password, new password, TOTP enrolment, then sign-out and a sign-in with password and code.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { browserSkipReason, firstSignIn, launchBrowser, newPage, screenshot, signIn, startVigil, type RunningVigil } from './harness.ts';

const skip = browserSkipReason();

describe('sign-in with MFA in the browser', { skip: skip ?? false }, () => {
  let vigil: RunningVigil;
  let browser: Browser;

  before(async () => {
    vigil = await startVigil();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await vigil?.stop();
  });

  it('walks a new administrator through password change and TOTP enrolment, then signs in with a code', async () => {
    const { context, page } = await newPage(browser, vigil);
    const admin = await firstSignIn(page, vigil);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();

    await page.getByLabel('User name').fill(admin.username);
    await page.getByLabel('Password').fill('not the password at all');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const refusal = page.getByRole('alert');
    await refusal.waitFor();
    assert.equal(await refusal.getAttribute('data-code'), 'auth.invalid_credentials');

    await signIn(page, admin);
    const nav = page.getByRole('navigation', { name: 'Main' });
    for (const screen of ['Alarms', 'Floor plans', 'Emergency plans', 'People', 'Journal', 'System health']) {
      assert.equal(await nav.getByRole('link', { name: screen }).count(), 1, screen);
    }
    await screenshot(page, 'signed-in');
    await context.close();
  });
});
