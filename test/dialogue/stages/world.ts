/**
 * The world of the stage tests: a few small notices written for them (invented text and figures, real
 * place names), a knowledge base built from them in a temp folder, the project's language data, and the
 * stages run one after another as the assistant runs them, so each stage gets the typed input the earlier
 * ones make.
 */
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { Assistant } from '../../../src/dialogue/assistant.js';
import { type ComposeContext, compose } from '../../../src/dialogue/compose.js';
import { type DialogueData, loadDialogueData } from '../../../src/dialogue/data.js';
import { decide } from '../../../src/dialogue/decide.js';
import { locate } from '../../../src/dialogue/locate.js';
import { plan } from '../../../src/dialogue/query.js';
import { retrieve } from '../../../src/dialogue/retrieve.js';
import { MemorySessionStore, newSession, type SessionState } from '../../../src/dialogue/session.js';
import type { Candidates, Decision, Heard, Location, Plan } from '../../../src/dialogue/types.js';
import { understand } from '../../../src/dialogue/understand.js';
import type { KnowledgeBase } from '../../../src/kb/knowledge-base.js';
import { Retriever } from '../../../src/kb/retrieval.js';
import { slimDictionaries } from '../../../src/nlu/dictionary.js';
import { Nlu } from '../../../src/nlu/index.js';
import { loadLanguageData } from '../../../src/nlu/load.js';
import { knowledgeOf } from '../../helpers/knowledge.js';

/** A city notice with a table of district offices, standing, with a 文号 and the day it takes effect. */
export const XIAN = 'xian-2022-06-01';
/** A province's notice, temporary (阶段性) with no end date. */
export const GUIZHOU = 'guizhou-2022-03-10';
/** A national notice, addressed to 各省、自治区、直辖市. */
export const NATIONAL = 'guojia-2022-07-20';
/** A press report under a headline `洛阳：…`. */
export const LUOYANG = 'luoyang-2023-02-15';
/** A temporary notice that expired (有效期至2020年6月30日). */
export const KUNMING = 'kunming-2020-02-05';

export const NOTICES: Readonly<Record<string, string>> = {
  [XIAN]: `西安市医疗保障局关于优化门诊慢性病待遇和经办服务的通知
西医保发〔2022〕15号

各区县医疗保障分局，各定点医药机构：
为方便参保人员就医购药，现将有关事项通知如下：
一、门诊慢性病参保人员在定点医疗机构就诊的，每次可开具不超过8周的处方用药量。
二、参保人员申请门诊慢性病认定的，经办机构应在10个工作日内完成审核。
三、各区医保经办机构的地址和咨询电话见附件。
四、参保人员办理跨省异地就医备案的，经办机构应在3个工作日内办结。
五、本通知自2022年7月1日起施行。

西安市医疗保障局
2022年6月1日

附件
各区医保经办机构咨询电话
经办机构	地址	咨询电话
临潼区医保中心	华清路11号	029-83811111
雁塔区医保中心	小寨东路22号	029-85202222
未央区医保中心	凤城八路33号	029-86203333
`,
  [GUIZHOU]: `贵州省医疗保障局关于阶段性调整门诊慢性病用药管理的通知
黔医保发〔2022〕8号

各市（州）医疗保障局：
为减少参保人员往返就医次数，现就阶段性调整门诊慢性病用药管理通知如下：
一、门诊慢性病参保人员在定点医疗机构就诊的，每次处方用药量可延长至3个月。
二、参保人员在省内异地定点药店购药的，按参保地规定直接结算。

贵州省医疗保障局
2022年3月10日
`,
  [NATIONAL]: `国家医疗保障局　财政部关于进一步做好基本医疗保险跨省异地就医直接结算工作的通知
医保发〔2022〕22号

各省、自治区、直辖市及新疆生产建设兵团医疗保障局、财政厅（局）：
为进一步做好跨省异地就医直接结算工作，现将有关事项通知如下：
一、跨省临时外出就医人员可通过国家医保服务平台APP办理备案，备案有效期内可在就医地多次就诊。
二、参保人员未按规定办理备案的，跨省临时外出就医的报销比例降低10个百分点。
三、各统筹地区应于2022年12月31日前完成异地就医结算系统改造。
四、参保人员提交备案申请后，经办机构应在5个工作日内办结。
五、本通知自2022年8月1日起执行。

国家医疗保障局　财政部
2022年7月20日
`,
  [LUOYANG]: `洛阳：生育津贴可在手机上申领

记者 王明

2月15日起，洛阳市参保职工可通过“洛阳医保”微信公众号在线申领生育津贴，无需到窗口提交纸质材料。
市医保局相关负责人介绍，申领材料提交后，生育津贴在15个工作日内发放到账。
`,
  [KUNMING]: `昆明市医疗保障局关于疫情防控期间医保经办服务有关事项的通知

各县（市）区医疗保障局：
一、疫情防控期间，参保人员办理医疗费用零星报销的，报销时限延长至疫情结束后3个月内。
二、参保单位可延期缴纳职工医保费，延期期间不加收滞纳金。
三、本通知有效期至2020年6月30日。

昆明市医疗保障局
2020年2月5日
`,
};

/** The day the tests run on: after 昆明's measures ended. */
export const TODAY = '2024-05-20';

let language: Promise<{ nlu: Nlu; data: DialogueData }> | null = null;

/** The project's language data and dialogue data, loaded as the assistant loads them, once per test file. */
export function projectLanguage(): Promise<{ nlu: Nlu; data: DialogueData }> {
  language ??= (async () => {
    const config = loadConfig({});
    const dictionaries = await slimDictionaries(join(config.dataDir, 'cache'), config.jiebaMinFrequency);
    const [lang, data] = await Promise.all([loadLanguageData(config.intentsDir), loadDialogueData(config.intentsDir)]);
    return { nlu: new Nlu(lang, dictionaries), data };
  })();
  return language;
}

/** What the stages make of one turn, each stage's output kept. */
export interface Turn {
  state: SessionState;
  heard: Heard;
  location: Location;
  plan: Plan;
  found: Candidates;
  decision: Decision;
}

/** The stages over one knowledge base, as the assistant wires them. */
export class Stages {
  readonly retriever: Retriever;

  constructor(
    readonly kb: KnowledgeBase,
    readonly nlu: Nlu,
    readonly data: DialogueData,
  ) {
    this.retriever = new Retriever(
      kb,
      (n) => nlu.indexWords(n),
      (n) => nlu.rewrite(n),
    );
  }

  hear(text: string): Heard {
    return understand({ nlu: this.nlu, places: this.kb.regions, asks: this.data.asks, policy: this.data.policy }, text);
  }

  locate(text: string, options: { region?: string; state?: SessionState } = {}): Location {
    return locate(this.kb, this.hear(text), options.state ?? newSession(), options.region);
  }

  plan(heard: Heard, location: Location, state: SessionState = newSession()): Plan {
    const r = this.retriever;
    return plan(
      { nlu: this.nlu, asks: this.data.asks, policy: this.data.policy, knows: (w) => r.knows(w), knowsGram: (g) => r.knowsGram(g) },
      heard,
      location,
      state,
    );
  }

  /** Every stage up to the decision, for one question. */
  turn(text: string, options: { region?: string; state?: SessionState } = {}): Turn {
    const state = options.state ?? newSession();
    const heard = this.hear(text);
    const location = locate(this.kb, heard, state, options.region);
    const planned = this.plan(heard, location, state);
    const found = retrieve(this.retriever, planned, location);
    const decision = decide({ kb: this.kb, policy: this.data.policy, asks: this.data.asks }, heard, location, planned, found, state);
    return { state, heard, location, plan: planned, found, decision };
  }

  get composeContext(): ComposeContext {
    return { kb: this.kb, retriever: this.retriever, responses: this.data.responses, today: () => TODAY };
  }

  /** The reply the compose stage makes of a turn's decision. */
  compose(t: Turn): ReturnType<typeof compose> {
    return compose(this.composeContext, t.decision, t.plan, t.location, t.plan.intentId);
  }

  /** A whole assistant on the same language data and knowledge, for its explain() trace over several turns. */
  assistant(): Assistant {
    let n = 0;
    return new Assistant(
      this.nlu,
      this.data,
      new MemorySessionStore({ max: 100, ttlMs: 60_000 }),
      () => `stage-${++n}`,
      { max: 0, ttlMs: 0 },
      () => new Date(`${TODAY}T08:00:00Z`),
    );
  }
}

/** The stages over the tests' notices (or others), with a way to remove their folder afterwards. */
export async function stagesOf(
  notices: Readonly<Record<string, string>> = NOTICES,
): Promise<{ stages: Stages; remove: () => Promise<void> }> {
  const [{ kb, remove }, { nlu, data }] = await Promise.all([knowledgeOf(notices), projectLanguage()]);
  return { stages: new Stages(kb, nlu, data), remove };
}

/**
 * Two worlds for a test file, built before its tests and removed after them: every test notice, and the same
 * without the national one. Read them inside the tests (`worlds.all`, `worlds.withoutNational`).
 */
export function bothWorlds(): { all: Stages; withoutNational: Stages } {
  const worlds = {} as { all: Stages; withoutNational: Stages };
  const removals: (() => Promise<void>)[] = [];
  beforeAll(async () => {
    const all = await stagesOf();
    const rest = await stagesOf(Object.fromEntries(Object.entries(NOTICES).filter(([id]) => id !== NATIONAL)));
    worlds.all = all.stages;
    worlds.withoutNational = rest.stages;
    removals.push(all.remove, rest.remove);
  });
  afterAll(() => Promise.all(removals.map((r) => r())));
  return worlds;
}

/** The decision, checked to be of the rule expected and narrowed to it. */
export function ruled<R extends Decision['rule']>(decision: Decision, rule: R): Decision & { rule: R } {
  if (decision.rule !== rule) throw new Error(`expected the rule ${rule}, got ${decision.rule}`);
  return decision as Decision & { rule: R };
}
