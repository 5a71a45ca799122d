/** ID-card numbers (18 characters) and phone numbers in citizen text, masked for logs. */
const ID_CARD = /(?<![0-9A-Za-z])\d{6}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9A-Za-z])/g;
const MOBILE = /(?<!\d)1[3-9]\d{9}(?!\d)/g;
const LANDLINE = /(?<!\d)0\d{2,3}-?\d{7,8}(?!\d)/g;

export function redact(text: string): string {
  return text
    .replace(ID_CARD, (m) => `${m.slice(0, 3)}${'*'.repeat(m.length - 5)}${m.slice(-2)}`)
    .replace(MOBILE, (m) => `${m.slice(0, 3)}****${m.slice(-4)}`)
    .replace(LANDLINE, (m) => `${m.slice(0, 4)}****${m.slice(-2)}`);
}
