/**
 * Examples for the API documents (OpenAPI at /docs, AsyncAPI at /docs/asyncapi), taken from what the
 * service answers over the project's own notices; tests check each against its schema.
 */

export const EXAMPLE_SESSION = '6f1c2a9e-3b7d-4c1e-9a2f-8d4b5e7c1a30';

/** 大连's 24-hour hotline, as the notice states it. */
export const hotlineCitation = {
  notice: 'dalian-2020-02-20',
  clause: 's3.六',
  title: '第七场专题发布会聚焦疫情防控医疗保障工作',
  authority: '大连市医疗保障局',
  docNumber: null,
  date: '2020-02-20',
  quote:
    '六是加强值班值守，落实24小时专人值班，设立24小时医保热线（83709222），确保疫情相关信息及时反馈、公众相关咨询随时解答、医保经办服务延续不间断。',
  url: '/notices/dalian-2020-02-20#s3.%E5%85%AD',
};

const filingCitation = {
  ...hotlineCitation,
  clause: 's1.三',
  quote: '三是开通异地突发急症入院治疗24小时电话申报，第一时间确认异地就医直接结算备案信息，确保就医患者使用医保基金及时救治。',
  url: '/notices/dalian-2020-02-20#s1.%E4%B8%89',
};

/** `POST /api/ask {"text": "大连异地就医备案怎么办理？"}`. */
export const answerExample = {
  type: 'answer',
  text:
    '大连：三是开通异地突发急症入院治疗24小时电话申报，第一时间确认异地就医直接结算备案信息，确保就医患者使用医保基金及时救治。\n' +
    '来源：大连市医疗保障局《第七场专题发布会聚焦疫情防控医疗保障工作》，2020-02-20。\n' +
    '提示：以上是2020-02-20发布的临时性措施，现在是否仍然执行，请以当地医保部门的最新规定为准，可拨打24小时医保热线83709222咨询。',
  citations: [filingCitation, hotlineCitation],
  intent: 'remote.filing',
  confidence: 0.31,
  sessionId: EXAMPLE_SESSION,
  suggestions: [],
};

/** `POST /api/ask {"text": "慢性病处方能开多久？"}`: the answer differs by city, so it asks. */
export const clarifyExample = {
  type: 'clarify',
  text: '请问您是在哪个城市参保的？各地政策不同，目前有包头、大连、北京的相关通知，请告诉我您所在的城市。',
  citations: [],
  intent: 'chronic.prescription_quantity',
  confidence: 0.86,
  sessionId: EXAMPLE_SESSION,
  suggestions: ['包头', '大连', '北京'],
};

export const errorExample = (code: string, message: string) => ({ error: { code, message } });
