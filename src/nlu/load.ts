import { join } from 'node:path';
import { HlError } from '../errors.js';
import { readYaml } from '../schema.js';
import { checkDomain, checkEntities, checkIntents, checkSynonyms, type LanguageData } from './data.js';

/** Read and check the language data in an intents folder; a fault names the file and the place. */
export async function loadLanguageData(dir: string): Promise<LanguageData> {
  const files = {
    intents: join(dir, 'intents.yaml'),
    synonyms: join(dir, 'synonyms.yaml'),
    entities: join(dir, 'entities.yaml'),
    domain: join(dir, 'domain.yaml'),
  };
  const [intents, synonyms, entities, domain] = await Promise.all([
    readYaml(files.intents),
    readYaml(files.synonyms),
    readYaml(files.entities),
    readYaml(files.domain),
  ]);
  const data: LanguageData = {
    intents: checkIntents(intents, files.intents).intents,
    domain: checkDomain(domain, files.domain),
    synonyms: checkSynonyms(synonyms, files.synonyms),
    entities: checkEntities(entities, files.entities),
    userDict: join(dir, 'dict', 'user.dict.utf8'),
  };
  const seen = new Set<string>();
  for (const [i, intent] of data.intents.entries()) {
    if (seen.has(intent.id)) throw new HlError('HL_ERR_DATA_INVALID', [files.intents, `/intents/${i}/id '${intent.id}' is defined twice`]);
    seen.add(intent.id);
    if (intent.kind === 'handoff' && !intent.reason)
      throw new HlError('HL_ERR_DATA_INVALID', [files.intents, `/intents/${i} a handoff intent needs a reason`]);
  }
  return data;
}
