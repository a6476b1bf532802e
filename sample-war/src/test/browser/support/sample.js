// The sample pet shop under test and its demo users (sample-war/README, docs/sample.md).
import assert from 'node:assert/strict';

if (!process.env.SAMPLE_URL) {
  throw new Error('SAMPLE_URL is not set: start the sample (README run command) and run '
    + 'SAMPLE_URL=http://127.0.0.1:8080/ npm test, or run BrowserIT through Maven');
}

/** The app's base URL, always ending in '/'. */
export const BASE = new URL(process.env.SAMPLE_URL.endsWith('/') ? process.env.SAMPLE_URL : `${process.env.SAMPLE_URL}/`);

/** Resolves a path of the contract (relative, e.g. 'shop.html') against the app's base URL. */
export function url(path = '') {
  return new URL(path, BASE).toString();
}

/** Whether a page is the app's page at that relative path. */
export function isAppPage(pageUrl, path) {
  const u = new URL(pageUrl);
  return u.origin === BASE.origin && u.pathname === new URL(path, BASE).pathname;
}

/** The social user: "Continue with Amazon" on the local IdP's login page. */
export const BUYER = Object.freeze({
  email: 'buyer@example.com',
  subject: 'amazon|amzn1.account.DEMO',
  connection: 'amazon',
  role: 'pet-shop-buyer',
  rule: 'social-buyers',
  permittedRoles: ['pet-shop-buyer', 'pet-shop-console'],
});

/** The database user: username and password on the local IdP's login page. */
export const ADMIN = Object.freeze({
  email: 'admin@example.com',
  username: 'admin@example.com',
  password: 'admin-password',
  role: 'pet-shop-admin',
  rule: 'database-admins',
  permittedRoles: ['pet-shop-admin', 'pet-shop-buyer', 'pet-shop-console'],
});

/** Waits until the page shows the local IdP's login page (LoginPage in the testkit). */
export async function expectIdentityProviderLogin(page) {
  await page.waitForURL((u) => u.origin !== BASE.origin && u.pathname === '/authorize');
  await page.locator('#continue-with-amazon').waitFor();
  await page.locator('form #username').waitFor();
}

/** Signs in on the IdP's login page the page shows, as the given demo user, and waits for the shop page. */
export async function logInAt(page, user) {
  await expectIdentityProviderLogin(page);
  if (user.password) {
    await page.locator('#username').fill(user.username);
    await page.locator('#password').fill(user.password);
    await page.locator('#login').click();
  } else {
    await page.locator('#continue-with-amazon').click();
  }
  await page.waitForURL((u) => isAppPage(u.toString(), 'shop.html'));
  await page.locator('#who').filter({ hasText: user.email }).waitFor();
}

/** Signs in from the public home page ("Sign in") and returns on the shop page. */
export async function signIn(page, user) {
  await page.goto(url());
  await page.locator('a#sign-in').click();
  await logInAt(page, user);
}

/** Calls the app's JSON API from the page, as its own script does: same origin, the session cookie. */
export function callApi(page, path, { method = 'GET', headers = {}, body } = {}) {
  return page.evaluate(async ({ target, method, headers, body }) => {
    const response = await fetch(target, { method, headers: { Accept: 'application/json', ...headers }, body });
    const text = await response.text();
    let json = null;
    try {
      json = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, text, json };
  }, { target: url(path), method, headers, body });
}

/** Reads a countdown such as "expires in 59:41" (or 1:02:03) as seconds. */
export function countdownSeconds(text) {
  const match = /(\d+):(\d{2})(?::(\d{2}))?/.exec(text);
  assert.ok(match, `a countdown like "expires in 59:41", got "${text}"`);
  const [, a, b, c] = match;
  return c === undefined ? Number(a) * 60 + Number(b) : Number(a) * 3600 + Number(b) * 60 + Number(c);
}

/**
 * Asserts that what the page shows holds no AWS credentials and no Java stack trace: the denial a user sees is
 * a sentence, never the exception behind it.
 */
export async function expectNoSecretsOrStackTraces(page) {
  const html = await page.content();
  assert.doesNotMatch(html, /\b(ASIA|AKIA)[A-Z0-9]{12,}\b/, 'an AWS access key id in the page');
  assert.doesNotMatch(html, /SecretAccessKey|secretAccessKey|SessionToken|sessionToken|aws_secret_access_key/,
    'an AWS secret in the page');
  const text = await page.locator('body').innerText();
  assert.doesNotMatch(text, /\bat [\w$.]+\([\w$]+\.java(:\d+)?\)|\b(java|jakarta|software\.amazon|io\.github)\.[\w$.]*(Exception|Error)\b|\bCaused by:/,
    'a stack trace in the page');
}

/**
 * Does an action on the shop page and answers the outcome line (`#message`) it leads to: `{ kind, text }`, kind
 * 'ok' or 'error'. It waits for the line to be written again, so an earlier message of the same words never
 * passes for this one.
 */
export async function messageAfter(page, action) {
  const written = page.evaluate(() => new Promise((resolve) => {
    const message = document.getElementById('message');
    const observer = new MutationObserver(() => {
      observer.disconnect();
      resolve({ kind: message.className, text: message.textContent, hidden: message.hidden });
    });
    observer.observe(message, { attributes: true, childList: true, characterData: true, subtree: true });
  }));
  written.catch(() => {}); // when the action itself fails, the page may close before the line is written
  await action();
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error('the page wrote no message in #message within 15 s')), 15_000);
  });
  try {
    const message = await Promise.race([written, timeout]);
    assert.equal(message.hidden, false, 'the message is shown');
    return message;
  } finally {
    clearTimeout(timer);
  }
}

/** Waits until the shop page has loaded the user, their pets and their files. */
export async function expectShopLoaded(page) {
  await page.locator('#role').filter({ hasText: /\S/ }).waitFor();
  await page.locator('#pet-list tbody tr[data-pet-id]').first().waitFor();
}

/** Signs in as a user in a browser profile of its own and answers the subject their status panel shows. */
export async function subjectShownTo(browser, user, newContext) {
  const context = await newContext(browser);
  try {
    const page = await context.newPage();
    await page.goto(url('shop.html'));
    await logInAt(page, user);
    await page.locator('#subject').filter({ hasText: /\S/ }).waitFor();
    return (await page.locator('#subject').innerText()).trim();
  } finally {
    await context.close();
  }
}
