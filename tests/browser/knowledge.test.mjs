// The content cycle in a real browser: an agent flags an article, the owning kennisexpert fixes
// it and approves the fix, the redacteur publishes, and the agent sees the new text and the reply.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { withDemo, login, screenshots } from './loket.mjs';

const demo = withDemo();

test('agent flags an article, kennisexpert fixes and approves, redacteur publishes, agent sees the new text', async () => {
  // 1. The agent finds the leaf-basket article and flags it as outdated.
  const agent = await demo.browser.newPage({ viewport: { width: 1280, height: 900 } });
  await login(agent, demo.server.address, 'anouk');
  // Werkberichten first: the menu counts the unread ones; reading the important one clears it.
  const notices = agent.getByRole('navigation').getByRole('link', { name: /Werkberichten/ });
  assert.match(await notices.innerText(), /Werkberichten 2/);
  await notices.click();
  assert.ok(await agent.getByRole('heading', { name: /Energietoeslag: veel vragen verwacht/ }).isVisible());
  await agent.screenshot({ path: join(screenshots, 'werkberichten.png'), fullPage: true });
  await agent.getByRole('button', { name: /^Gelezen.*Energietoeslag/ }).click();
  assert.match(await agent.getByRole('navigation').getByRole('link', { name: /Werkberichten/ }).innerText(), /Werkberichten 1/);
  await agent.getByRole('navigation').getByRole('link', { name: 'Kennisbank' }).click();
  await agent.getByRole('searchbox', { name: 'Zoeken' }).fill('bladkorf');
  await agent.getByRole('button', { name: 'Zoeken', exact: true }).click();
  await agent.getByRole('link', { name: 'Bladkorf aanvragen', exact: true }).click();
  assert.ok(await agent.getByText('Vraag tot 15 september een bladkorf aan').isVisible(), 'the short answer is on top');
  await agent.screenshot({ path: join(screenshots, 'artikel-medewerker.png'), fullPage: true });
  await agent.getByLabel('Verouderd').check();
  await agent.getByLabel('Toelichting (optioneel)').fill('Aanvragen kan dit jaar tot 1 oktober.');
  await agent.getByRole('button', { name: 'Melding versturen' }).click();
  assert.ok(await agent.getByText('Bedankt. Uw melding staat op de werklijst').isVisible());

  // 2. The owning kennisexpert sees it, changes the article and approves the change.
  const expert = await demo.browser.newPage({ viewport: { width: 1280, height: 900 } });
  await login(expert, demo.server.address, 'lotte');
  await expert.getByRole('navigation').getByRole('link', { name: 'Redactie' }).click();
  await expert.getByRole('link', { name: 'Feedback op artikelen' }).click();
  assert.ok(await expert.getByText('Aanvragen kan dit jaar tot 1 oktober.').isVisible(), 'the flag is on the owner\'s worklist');
  assert.ok(await expert.getByText('“bladkorf”').isVisible(), 'with the search query as context');
  await expert.screenshot({ path: join(screenshots, 'feedback-werklijst.png'), fullPage: true });
  await expert.getByRole('link', { name: 'Bladkorf aanvragen' }).click();
  await expert.getByLabel('Kort antwoord').fill('Vraag tot 1 oktober een bladkorf aan voor uw straat. De korven staan van oktober tot en met december.');
  await expert.getByLabel('Reden van de wijziging').fill('Nieuwe aanvraagtermijn (melding van de klantcontactmedewerker)');
  await expert.getByRole('button', { name: 'Opslaan als nieuwe versie' }).click();
  assert.ok(await expert.getByText('Opgeslagen als nieuwe versie.').isVisible());
  await expert.getByRole('button', { name: 'Indienen ter beoordeling' }).click();
  await expert.getByRole('button', { name: 'Inhoud goedkeuren' }).click();
  assert.equal(await expert.getByRole('button', { name: 'Publiceren' }).count(), 0, 'a kennisexpert cannot publish');
  await expert.screenshot({ path: join(screenshots, 'artikel-redactie.png'), fullPage: true });

  // The agent still sees the published text meanwhile.
  await agent.reload();
  assert.ok(await agent.getByText('Vraag tot 15 september een bladkorf aan').isVisible());

  // 3. The redacteur publishes.
  const editor = await demo.browser.newPage({ viewport: { width: 1280, height: 900 } });
  await login(editor, demo.server.address, 'dirk');
  await editor.getByRole('navigation').getByRole('link', { name: 'Redactie' }).click();
  await editor.getByLabel('Status').selectOption('goedgekeurd');
  await editor.getByRole('button', { name: 'Filteren' }).click();
  await editor.getByRole('table', { name: /naar hun nieuwste versie/ }).getByRole('link', { name: 'Bladkorf aanvragen' }).click();
  await editor.getByRole('link', { name: 'Vergelijk met nieuwste' }).first().click();
  assert.ok(await editor.locator('ins', { hasText: 'Vraag tot 1 oktober een bladkorf aan' }).isVisible(), 'the diff shows the change');
  await editor.screenshot({ path: join(screenshots, 'artikel-vergelijken.png'), fullPage: true });
  await editor.goBack();
  await editor.getByRole('button', { name: 'Publiceren' }).click();
  assert.ok(await editor.getByText('De stap is gezet.').isVisible());

  // The kennisexpert closes the feedback with a reply.
  await expert.goto(demo.server.address + '/redactie/feedback');
  await expert.getByLabel('Status').last().selectOption('verwerkt');
  await expert.getByLabel('Antwoord aan de melder').fill('Dank je, de termijn is aangepast.');
  await expert.getByRole('button', { name: 'Opslaan' }).click();

  // 4. The agent sees the new text and the reply.
  await agent.reload();
  assert.ok(await agent.getByText('Vraag tot 1 oktober een bladkorf aan').isVisible());
  await agent.getByRole('button', { name: 'Dit beantwoordde de vraag' }).click();
  assert.ok(await agent.getByText('Vastgelegd: dit artikel beantwoordde de vraag.').isVisible());
  await agent.goto(demo.server.address + '/kennisbank/meldingen');
  assert.ok(await agent.getByText('Dank je, de termijn is aangepast.').isVisible());
  await agent.screenshot({ path: join(screenshots, 'mijn-meldingen.png'), fullPage: true });
});

test('an agent walks a decision tree forward, back and again from the start', async () => {
  const page = await demo.browser.newPage({ viewport: { width: 1280, height: 800 } });
  await login(page, demo.server.address, 'anouk');
  await page.goto(demo.server.address + '/beslisbomen');
  await page.getByRole('link', { name: 'Energietoeslag: wie heeft recht?' }).click();
  await page.getByRole('link', { name: 'Nee' }).click();
  assert.ok(await page.getByRole('heading', { name: /lager dan 120%/ }).isVisible());
  await page.getByRole('link', { name: 'Weet niet' }).click();
  assert.ok(await page.getByText('Maak een terugbelverzoek voor Team Inkomensondersteuning').isVisible());
  await page.screenshot({ path: join(screenshots, 'beslisboom.png'), fullPage: true });
  await page.getByRole('link', { name: 'Vorige vraag' }).click();
  await page.getByRole('link', { name: 'Ja' }).click();
  await page.getByRole('link', { name: 'Open het kennisartikel' }).click();
  assert.ok(await page.getByRole('heading', { name: 'Energietoeslag 2026', level: 1 }).isVisible());
  await page.goBack();
  await page.getByRole('link', { name: 'Opnieuw beginnen' }).click();
  assert.ok(await page.getByRole('heading', { name: /bijstandsuitkering/ }).isVisible());
  await page.close();
});
