/**
 * Stage 1, understand: what a question names (places, years, a 文号), what kind of value it asks for, and
 * whether it only steers the previous question.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stages, stagesOf } from './world.js';

let stages: Stages;
let remove: () => Promise<void>;
beforeAll(async () => {
  ({ stages, remove } = await stagesOf());
});
afterAll(() => remove());

describe('understand: places', () => {
  it('names a district by its gazetteer name whatever form the question writes it in (海淀区 → 海淀)', () => {
    const heard = stages.hear('我在海淀区，慢性病能开多久的药');
    expect(heard.places.map((p) => ({ name: p.name, form: p.form, elsewhere: p.elsewhere }))).toEqual([
      { name: '海淀', form: '海淀区', elsewhere: false },
    ]);
  });

  it('keeps place names out of the words that carry the topic', () => {
    const heard = stages.hear('临潼区医保中心的电话是多少');
    expect(heard.places.map((p) => p.name)).toEqual(['临潼']);
    expect(heard.content).not.toContain('临潼');
    expect(heard.content).toContain('医保中心');
  });

  it.each([
    ['去海南看病要备案吗', '海南'],
    ['到上海住院怎么报销', '上海'],
    ['支援湖北的医护人员医保怎么报', '湖北'],
  ])('marks a place named after 去/到/支援 as somewhere else than the asker’s own (%s)', (text, place) => {
    const named = stages.hear(text).places.find((p) => p.name === place);
    expect(named?.elsewhere).toBe(true);
  });

  it('keeps out of the topic every piece of a district name jieba cuts into characters (雁塔区 → 雁/塔/区)', () => {
    const h = stages.hear('雁塔区');
    expect(h.places.map((p) => p.name)).toEqual(['雁塔']);
    expect(h.content).toEqual([]);
    expect(h.followUpCue).toBe(true);
  });

  it('puts the asker’s own place before a place named as somewhere else', () => {
    const heard = stages.hear('我是西安的，去海南看病要备案吗');
    expect(heard.places.map((p) => [p.name, p.elsewhere])).toEqual([
      ['西安', false],
      ['海南', true],
    ]);
  });

  it('keeps every place a district name may mean (长安区: 石家庄’s and 西安’s)', () => {
    const [named] = stages.hear('长安区医保中心电话').places;
    expect(named?.candidates).toEqual(expect.arrayContaining(['石家庄长安区', '西安长安区']));
  });
});

describe('understand: what is asked for', () => {
  it('asks for a phone number when the question says 电话, and requires a sentence that states one', () => {
    const heard = stages.hear('临潼区医保中心的电话是多少');
    expect(heard.asks).toContain('phone');
    expect(heard.factTypes).toContain('phone');
    expect(heard.requiredFacts).toEqual(['phone']);
  });

  it('asks for a duration when the question says 多久, without requiring one', () => {
    const heard = stages.hear('西安的门诊慢性病患者每次开的药能用多久');
    expect(heard.asks).toEqual(['duration']);
    expect(heard.factTypes).toEqual(expect.arrayContaining(['duration', 'prescription']));
    expect(heard.requiredFacts).toEqual([]);
  });

  it('asks for nothing in particular when the question names no kind of value', () => {
    const heard = stages.hear('洛阳生育津贴可以在网下申领吗');
    expect(heard.requiredFacts).toEqual([]);
    expect(heard.meta).toEqual([]);
  });

  it('asks for a notice’s date when the question says 哪天发', () => {
    expect(stages.hear('西安关于门诊慢性病的文件是哪天发的').meta).toEqual(['date']);
  });

  it('asks for a notice’s 文号 when the question says 文号', () => {
    expect(stages.hear('西安关于门诊慢性病的文件，文号怎么写').meta).toEqual(['docNumber']);
  });

  it('asks for the day a notice takes effect when the question says 开始执行', () => {
    expect(stages.hear('西安关于门诊慢性病的文件几号开始执行').meta).toContain('effective');
  });

  it('reads a 文号 the question names, whatever brackets it is written with', () => {
    expect(stages.hear('医保发〔2022〕22号是哪天发的').docNumber).toBe('医保发〔2022〕22号');
    expect(stages.hear('医保发(2022)22号是哪天发的').docNumber).toBe('医保发(2022)22号');
  });

  it('reads no 文号 from a question that names none', () => {
    expect(stages.hear('西安关于门诊慢性病的文件，文号怎么写').docNumber).toBeNull();
  });

  it('names each year the question names once, in order', () => {
    expect(stages.hear('2023年和2024年的缴费标准一样吗，2023年的呢').years).toEqual([2023, 2024]);
    expect(stages.hear('西安的门诊慢性病患者每次开的药能用多久').years).toEqual([]);
  });
});

describe('understand: follow-ups', () => {
  it.each(['那遵义呢？', '要是在贵阳呢', '遵义'])('hears “%s” as steering the previous question', (text) => {
    expect(stages.hear(text).followUpCue).toBe(true);
  });

  it('hears a question with a topic of its own as no follow-up', () => {
    expect(stages.hear('遵义的门诊慢性病患者每次开的药能用多久').followUpCue).toBe(false);
  });
});

describe('understand: intents', () => {
  it('is sure of a request for a person, and keeps that intent’s definition', () => {
    const heard = stages.hear('麻烦转接人工');
    expect(heard.confident?.intent).toBe(heard.top?.intent);
    expect(heard.topDef?.kind).toBe('handoff');
  });

  it('is not sure of an intent the words barely point to', () => {
    const heard = stages.hear('西安关于门诊慢性病的文件，文号怎么写');
    expect(heard.confident).toBeNull();
  });
});
