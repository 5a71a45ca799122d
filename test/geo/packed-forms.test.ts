import { describe, expect, it } from 'vitest';
import { FormTable } from '../../src/geo/forms.js';
import { type Lexicon, lexiconOf } from '../../src/geo/lexicon.js';
import type { Place } from '../../src/geo/places.js';

const place = (code: string, name: string, fullName: string, level: Place['level'], parent: string | null): Place =>
  Object.freeze({ code, name, fullName, level, parent });

const PLACES = [
  place('000000', '全国', '全国', 'country', null),
  place('330000', '浙江', '浙江省', 'province', '000000'),
  place('330200', '宁波', '宁波市', 'city', '330000'),
  place('330205', '宁波江北区', '江北区', 'county', '330200'),
  place('500000', '重庆', '重庆市', 'province', '000000'),
  place('500105', '重庆江北区', '江北区', 'county', '500000'),
  place('331000', '台州', '台州市', 'city', '330000'),
  place('331082', '临海', '临海市', 'county', '331000'),
];

const LEXICON: Lexicon = lexiconOf({
  info: new Map([['临海', { freq: 50, tag: 'ns', idf: 12 }]]),
  containing: new Map([['临海', [{ pre: '', post: '边', word: '临海边' }]]]),
  common: ['海市', '边上'],
});

/** A table of the places above, finished, as the gazetteer builds the data's. */
function built(): FormTable {
  const forms = new FormTable();
  for (const p of PLACES) {
    forms.add(p.name, p, 'name');
    forms.add(p.fullName, p, 'full');
  }
  forms.add('江北', PLACES[3] as Place, 'short');
  forms.add('江北', PLACES[5] as Place, 'short');
  forms.add('浙江宁波', PLACES[2] as Place, 'combined');
  forms.finish(LEXICON);
  return forms;
}

const FORMS = [
  '全国',
  '浙江',
  '浙江省',
  '宁波',
  '宁波市',
  '江北区',
  '宁波江北区',
  '重庆江北区',
  '江北',
  '浙江宁波',
  '临海',
  '临海市',
  '台州',
];
const HEADS = ['浙江', '宁波', '江北', '重庆', '临海', '台州', '全国'];

describe('FormTable.packed (issue 14)', () => {
  it('finds every form, and lists every head, exactly as the table it packs', () => {
    const table = built();
    const packed = FormTable.packed(built(), PLACES);
    for (const f of [...FORMS, '没有']) {
      expect(packed.has(f)).toBe(table.has(f));
      expect(packed.get(f)).toEqual(table.get(f));
    }
    for (const h of [...HEADS, '没有']) expect(packed.startingWith(h)).toEqual(table.startingWith(h));
    expect(packed.get('江北')?.places.map((p) => p.code)).toEqual(['330205', '500105']);
    expect(packed.get('江北')?.places[0]).toBe(PLACES[3]);
  });

  it('reads back from its data, and a table made from it changes a copy, never the packed entry', () => {
    const packed = FormTable.fromData(FormTable.packed(built(), PLACES).toData(), PLACES);
    const before = packed.get('临海');
    const derived = new FormTable(packed);
    derived.add('临海', PLACES[1] as Place, 'alias');
    expect(derived.markOrdinary('台州')).toBe(true);
    expect(derived.markOrdinary('没有')).toBe(false);
    derived.finish(LEXICON);
    expect(derived.get('临海')?.places.map((p) => p.code)).toEqual(['331082', '330000']);
    expect(packed.get('临海')).toBe(before);
    expect(packed.get('临海')?.places.map((p) => p.code)).toEqual(['331082']);
    expect(derived.get('台州')?.listed).toBe(true);
    expect(packed.get('台州')?.listed).toBe(false);
    const bare = (t: FormTable) => t.startingWith('临海')?.find((e) => e.form === '临海')?.places;
    expect(bare(derived)).toHaveLength(2);
    expect(bare(packed)).toHaveLength(1);
  });
});
