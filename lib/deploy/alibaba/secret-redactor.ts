const MASK = '****';
/** Shorter values are not masked: replacing a 1-3 character string everywhere would garble every message. */
const MIN_SECRET_LENGTH = 4;

/**
 * Masks known secret values (NoEcho parameter values) in any text before it reaches a log line or an error.
 * Also masks the percent-encoded forms, because SDK network errors quote the request URL, query string included.
 */
export class SecretRedactor {
  private readonly needles: string[] = [];

  constructor(secrets: Iterable<string> = []) {
    for (const s of secrets) this.add(s);
  }

  add(secret: string): void {
    if (secret.length < MIN_SECRET_LENGTH) return;
    for (const form of new Set([secret, encodeURIComponent(secret), encodeURIComponent(secret).replace(/%20/g, '+')])) {
      if (!this.needles.includes(form)) this.needles.push(form);
    }
    // Longest first, so a secret that contains another is masked whole.
    this.needles.sort((a, b) => b.length - a.length);
  }

  redact(text: string): string {
    let out = text;
    for (const n of this.needles) out = out.split(n).join(MASK);
    return out;
  }
}
