/**
 * Stage 2, locate: where the asker is (the question, else the channel's region, else the conversation) and
 * which regions' notices speak for that place, most specific first.
 */
import { describe, expect, it } from 'vitest';
import { locate } from '../../../src/dialogue/locate.js';
import { newSession } from '../../../src/dialogue/session.js';
import { bothWorlds } from './world.js';

const worlds = bothWorlds();

describe('locate: which notices speak for the place', () => {
  it('covers a district by its city’s notice, then the national ones, and keeps the district’s names to pick its row', () => {
    const location = worlds.all.locate('临潼区医保中心的电话是多少');
    expect(location).toMatchObject({ place: '临潼', scopes: ['西安', '全国'], unserved: false, source: 'question' });
    expect(location.local).toEqual(expect.arrayContaining(['临潼', '临潼区']));
  });

  it('leaves nothing to pick a row by when the place is the covering region itself', () => {
    expect(worlds.all.locate('西安的门诊慢性病患者每次开的药能用多久').local).toEqual([]);
  });

  it('covers a city whose province alone has a notice by the province, then the national ones', () => {
    expect(worlds.all.locate('遵义的门诊慢性病患者每次开的药能用多久').scopes).toEqual(['贵州', '全国']);
  });

  it('covers a place with no notice of its own by the national notices alone', () => {
    const location = worlds.all.locate('拉萨跨省异地就医备案多久能办结？');
    expect(location).toMatchObject({ place: '拉萨', scopes: ['全国'], unserved: false });
  });

  it('finds a place unserved when no notice covers it, not even a national one', () => {
    const location = worlds.withoutNational.locate('拉萨跨省异地就医备案多久能办结？');
    expect(location).toMatchObject({ place: '拉萨', scopes: [], unserved: true });
  });

  it('reads a district name two cities share as the one whose city has notices (长安区 → 西安’s)', () => {
    const location = worlds.all.locate('长安区医保中心电话');
    expect(location.place).toBe('西安长安区');
    expect(location.scopes).toEqual(['西安', '全国']);
  });
});

describe('locate: where the asker is', () => {
  it('takes the channel’s region when the question names no place, in any form of its name', () => {
    expect(worlds.all.locate('门诊慢性病患者每次开的药能用多久', { region: '西安市' })).toMatchObject({
      place: '西安',
      scopes: ['西安', '全国'],
      source: 'request',
    });
  });

  it('takes the place the question names over the channel’s region', () => {
    expect(worlds.all.locate('遵义的门诊慢性病患者每次开的药能用多久', { region: '西安' })).toMatchObject({
      place: '遵义',
      source: 'question',
    });
  });

  it('takes the conversation’s place last: after the question and the channel’s region', () => {
    const state = { ...newSession(), place: '遵义' };
    expect(worlds.all.locate('门诊慢性病患者每次开的药能用多久', { state })).toMatchObject({ place: '遵义', source: 'session' });
    expect(worlds.all.locate('门诊慢性病患者每次开的药能用多久', { state, region: '西安' })).toMatchObject({
      place: '西安',
      source: 'request',
    });
    expect(worlds.all.locate('洛阳生育津贴多久能到账', { state })).toMatchObject({ place: '洛阳', source: 'question' });
  });

  it('does not take a place named as somewhere else for the asker’s own', () => {
    expect(worlds.all.locate('去海南看病要备案吗', { region: '西安' })).toMatchObject({ place: '西安', source: 'request' });
  });

  it('of two places the question names, takes the one with notices of its own', () => {
    for (const text of [
      '我是拉萨人，在西安工作，门诊慢性病患者每次开的药能用多久',
      '我在西安工作，户口在拉萨，门诊慢性病患者每次开的药能用多久',
    ]) {
      expect(worlds.all.locate(text).place).toBe('西安');
    }
  });

  it('knows no place, and searches every region’s notices, when nothing names one', () => {
    const heard = worlds.all.hear('门诊慢性病患者每次开的药能用多久');
    const location = locate(worlds.all.kb, heard, newSession(), undefined);
    expect(location).toEqual({ place: null, scopes: worlds.all.kb.regionNames(), unserved: false, source: 'none', local: [] });
  });
});
