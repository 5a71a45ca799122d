/**
 * `npm run check:data`: check every data file against its schema — intents/*.yaml (language data, asks,
 * responses, policy) and knowledge/regions.yaml
 * — and report the numbers; exit 1 naming the file and the place when one is wrong.
 */
import { join } from 'node:path';
import { loadConfig } from '../config.js';
import { loadDialogueData } from '../dialogue/data.js';
import { isHlError } from '../errors.js';
import { loadGazetteer } from '../geo/gazetteer.js';
import { loadLanguageData } from '../nlu/load.js';

const config = loadConfig();
try {
  const data = await loadLanguageData(config.intentsDir);
  const places = await loadGazetteer(join(config.knowledgeDir, 'regions.yaml'));
  const dialogue = await loadDialogueData(config.intentsDir);
  const examples = data.intents.reduce((n, i) => n + i.examples.length, 0);
  process.stdout.write(
    `ok: ${data.intents.length} intents (${examples} examples), ${Object.keys(data.synonyms.synonyms).length + Object.keys(data.synonyms.typos ?? {}).length} synonym entries, ` +
      `${data.entities.diseases.length} diseases, ${data.entities.groups.length} groups, ${data.domain.terms.length} domain terms, ` +
      `${Object.keys(dialogue.asks.facts).length} kinds of value asked for, ${Object.keys(dialogue.policy).length} rules' thresholds, ${places.all().length} places\n`,
  );
} catch (err) {
  process.stderr.write(`${isHlError(err) ? `${err.code}: ` : ''}${(err as Error).message}\n`);
  process.exitCode = 1;
}
