// Search while the caller waits: results follow the typing, misspellings get a suggestion, the
// keyboard walks the results, and a synonym a redacteur adds counts at once (no reindex).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { withDemo, login, screenshots } from './loket.mjs';

const demo = withDemo();

const results = (page) => page.locator('#resultaten');

test('an agent types a split, misspelt compound and the answer is on top while typing', async () => {
  const agent = await demo.browser.newPage({ viewport: { width: 1280, height: 900 } });
  await login(agent, demo.server.address, 'anouk');
  await agent.getByRole('navigation').getByRole('link', { name: 'Kennisbank' }).click();
  const box = agent.getByRole('searchbox', { name: 'Zoeken' });
  // Typed key by key, never submitted: the list must follow on its own, without a page load.
  await agent.evaluate(() => { window.sameDocument = true; });
  await box.pressSequentially('energie toeslg', { delay: 40 });
  const first = results(agent).getByRole('listitem').first();
  await first.getByRole('link', { name: 'Energietoeslag 2026' }).waitFor();
  assert.ok((await first.locator('mark').count()) > 0, 'the matched words are marked');
  assert.equal(await agent.evaluate(() => window.sameDocument), true, 'no page load: the results came while typing');
  await agent.screenshot({ path: join(screenshots, 'zoeken-tijdens-typen.png'), fullPage: true });

  // The arrow key walks from the box into the results; Enter opens the first one.
  await box.press('ArrowDown');
  await agent.keyboard.press('Enter');
  await agent.waitForURL(/\/kennisbank\/[0-9a-f-]+/);
  assert.ok(await agent.getByRole('heading', { level: 1, name: 'Energietoeslag 2026' }).isVisible());
});

test('a question no article answers says so instead of offering a guess as the answer', async () => {
  const agent = await demo.browser.newPage({ viewport: { width: 1280, height: 900 } });
  await login(agent, demo.server.address, 'anouk');
  await agent.goto(demo.server.address + '/kennisbank');
  const box = agent.getByRole('searchbox', { name: 'Zoeken' });
  const unsure = agent.locator('#geen-antwoord');
  await box.pressSequentially('moet ik hondenbelasting betalen voor mijn puppy', { delay: 20 });
  await unsure.waitFor({ state: 'visible' });
  assert.match(await unsure.innerText(), /Geen goed antwoord gevonden/);
  // The polite live region says it too, so a screen reader user hears it.
  assert.match(await agent.locator('#zoekstatus').innerText(), /Geen goed antwoord gevonden/);
  await agent.screenshot({ path: join(screenshots, 'zoeken-geen-goed-antwoord.png'), fullPage: true });
  // A question an article answers hides it again.
  await box.fill('');
  await box.pressSequentially('bijstandsuitkering aanvragen', { delay: 20 });
  await results(agent).getByRole('link', { name: 'Bijstandsuitkering aanvragen' }).first().waitFor();
  await unsure.waitFor({ state: 'hidden' });
});

test('a misspelt word gets a "bedoelde u" suggestion that searches for the right word', async () => {
  const agent = await demo.browser.newPage({ viewport: { width: 1280, height: 900 } });
  await login(agent, demo.server.address, 'anouk');
  await agent.goto(demo.server.address + '/kennisbank');
  await agent.getByRole('searchbox', { name: 'Zoeken' }).pressSequentially('grofvuul', { delay: 40 });
  const suggestion = agent.locator('#suggestie');
  await suggestion.getByRole('link', { name: 'grofvuil' }).waitFor();
  assert.match(await suggestion.innerText(), /Bedoelde u: grofvuil\?/);
  await suggestion.getByRole('link', { name: 'grofvuil' }).click();
  await agent.waitForURL(/q=grofvuil/);
  assert.ok(await results(agent).getByRole('link', { name: 'Grofvuil laten ophalen', exact: true }).isVisible());
});

test('a redacteur adds a synonym and the agent finds the article by the citizen\'s word at once', async () => {
  const agent = await demo.browser.newPage({ viewport: { width: 1280, height: 900 } });
  await login(agent, demo.server.address, 'anouk');
  await agent.goto(demo.server.address + '/kennisbank?q=loofkorf');
  assert.equal(await results(agent).getByRole('link', { name: 'Bladkorf aanvragen', exact: true }).count(), 0,
    'before: nothing knows the word');

  const editor = await demo.browser.newPage({ viewport: { width: 1280, height: 900 } });
  await login(editor, demo.server.address, 'dirk');
  await editor.goto(demo.server.address + '/redactie/synoniemen');
  await editor.getByLabel('Nieuwe groep').fill('loofkorf, bladkorf');
  await editor.getByRole('button', { name: 'Groep toevoegen', exact: true }).click();
  assert.ok(await editor.getByRole('status').isVisible());
  assert.ok(await editor.locator('input[value="loofkorf, bladkorf"]').isVisible(), 'the group is in the list');
  await editor.screenshot({ path: join(screenshots, 'synoniemen.png'), fullPage: true });

  // Synonyms apply at query time; the follower picks the change up within a second.
  let found = 0;
  for (let i = 0; i < 20 && found === 0; i++) {
    await agent.waitForTimeout(250);
    await agent.goto(demo.server.address + '/kennisbank?q=loofkorf');
    found = await results(agent).getByRole('listitem').first().getByRole('link', { name: 'Bladkorf aanvragen', exact: true }).count();
  }
  assert.equal(found, 1, 'after: the article is the first result');
});

test('the redacteur sees a query without results and turns it into a draft article with one click', async () => {
  const editor = await demo.browser.newPage({ viewport: { width: 1280, height: 900 } });
  await login(editor, demo.server.address, 'dirk');
  const agent = await demo.browser.newPage({ viewport: { width: 1280, height: 900 } });
  await login(agent, demo.server.address, 'anouk');
  await agent.goto(demo.server.address + '/kennisbank?q=hondenbelasting');
  assert.match(await agent.locator('#resultaten').innerText(), /Niets gevonden/);

  // The query log is written in batches; the page shows it once flushed.
  let listed = false;
  for (let i = 0; i < 30 && !listed; i++) {
    await editor.goto(demo.server.address + '/redactie/zoeken?lijst=no_results');
    listed = (await editor.getByRole('table', { name: 'Zonder resultaat' }).getByRole('link', { name: 'hondenbelasting' }).count()) > 0;
    if (!listed) await editor.waitForTimeout(500);
  }
  assert.ok(listed, 'the query is on the list of queries without results');
  await editor.screenshot({ path: join(screenshots, 'zoekanalyse.png'), fullPage: true });
  await editor.getByRole('button', { name: 'Conceptartikel maken: hondenbelasting' }).click();
  await editor.waitForURL(/\/redactie\/artikelen\/[0-9a-f-]+/);
  assert.ok(await editor.getByText('hondenbelasting').first().isVisible(), 'the draft carries the query');
});
