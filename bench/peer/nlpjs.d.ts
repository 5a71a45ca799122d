/** The little of NLP.js (CommonJS, no types of its own) the peer benchmark uses. */
declare module '@nlpjs/basic' {
  export interface NlpResult {
    intent: string;
    score: number;
  }
  export interface Nlp {
    settings: { autoSave?: boolean; autoLoad?: boolean; log?: boolean; calculateSentiment?: boolean };
    addLanguage(locale: string | string[]): void;
    addDocument(locale: string, utterance: string, intent: string): void;
    train(): Promise<unknown>;
    process(locale: string, utterance: string): Promise<NlpResult>;
  }
  export interface Container {
    use(plugin: unknown): void;
    get(name: 'nlp'): Nlp;
  }
  export function containerBootstrap(): Promise<Container>;
  export const Nlp: unknown;
}

declare module '@nlpjs/lang-zh' {
  export const LangZh: unknown;
}
