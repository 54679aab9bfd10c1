/**
 * Realistic benign API traffic for measuring false positives: JSON bodies with names like O'Brien, prose that
 * says "select" and "union", code snippets in comments, emails, URLs, markdown, emoji, base64 blobs, JWTs,
 * uploads, form logins, and crash reports with stack traces, log lines and links. Deterministic (seeded), written as corpus JSONL so `eval:corpus` replays it.
 *
 *   node --import tsx scripts/benign-traffic.ts [--count 20000] [--seed 7] > /tmp/benign.jsonl
 *   npm run eval:corpus -- /tmp/benign.jsonl
 */
import { pathToFileURL } from 'node:url';
import {
  CODE,
  EMOJI,
  FIRST,
  LAST,
  LINKS,
  LOG_LINES,
  PROSE,
  SEARCHES,
  STACK_TRACES,
  TAGS,
  USER_AGENTS,
  WORDS,
} from './benign-vocabulary.ts';
import type { CorpusCase } from './corpus-case.ts';
import { mulberry32 as rng } from '../src/core/prng.ts';

export function generateBenignTraffic(count: number, seed = 7): CorpusCase[] {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const int = (n: number): number => Math.floor(r() * n);
  const hex = (n: number): string => Array.from({ length: n }, () => '0123456789abcdef'[int(16)]).join('');
  const uuid = (): string => `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
  const b64 = (n: number): string => Buffer.from(Array.from({ length: n }, () => int(256))).toString('base64');
  const b64url = (s: string): string => Buffer.from(s).toString('base64url');
  const name = (): string => `${pick(FIRST)} ${pick(LAST)}`;
  const email = (): string =>
    `${pick(FIRST)
      .toLowerCase()
      .replace(/[^a-z]/g, '')}.${pick(LAST)
      .toLowerCase()
      .replace(/[^a-z]/g, '')}@${pick(['example.com', 'mail.example.org', 'corp.example.net'])}`;
  const jwt = (): string =>
    `${b64url('{"alg":"RS256","typ":"JWT"}')}.${b64url(JSON.stringify({ sub: uuid(), name: name(), iat: 1700000000 + int(1e6) }))}.${b64(64).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_')}`;
  const sentence = (): string => `${pick(PROSE)}${r() < 0.3 ? ` ${pick(EMOJI)}` : ''}`;
  const comment = (): string => {
    const k = int(6);
    if (k === 0)
      return `${sentence()}\n\n\`\`\`${pick(['js', 'python', 'sql', 'bash', 'go'])}\n${pick(CODE)}\n\`\`\`\n`;
    if (k === 1)
      return `## ${pick(WORDS)} notes\n\n- ${sentence()}\n- see [the docs](https://docs.example.com/${pick(WORDS)}?ref=${pick(WORDS)}#${pick(WORDS)})\n\n**${pick(WORDS)}**: ${sentence()}`;
    if (k === 2) return `${sentence()} Contact ${email()} or call +1 (555) ${100 + int(900)}-${1000 + int(9000)}.`;
    if (k === 3) return `${sentence()} ${sentence()}`;
    if (k === 4) return `Inline \`${pick(CODE).split('\n')[0]}\` — ${sentence()}`;
    return sentence();
  };
  const escapeHtml = (t: string): string => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  // Editors drop javascript: links (TinyMCE, Quill and CKEditor sanitise them): a post links to the web, mail or
  // a phone number.
  const WEB_LINKS = LINKS.filter((l) => !l.startsWith('javascript:'));
  const link = (): string => pick([...WEB_LINKS, `https://docs.example.com/${pick(WORDS)}?a=1&b=${int(9)}`]);
  const image = (): string =>
    r() < 0.5
      ? `https://cdn.example.com/uploads/${int(9999)}.png`
      : `data:image/${pick(['png', 'jpeg', 'gif'])};base64,${b64(60 + int(400))}`;
  const block = (text: string): string => {
    const k = int(9);
    if (k === 0) return `<h2>${escapeHtml(pick(WORDS))} ${escapeHtml(pick(WORDS))}</h2><p>${text}</p>`;
    if (k === 1)
      return `<p>${text} <a href="${escapeHtml(link())}" target="_blank" rel="noopener noreferrer">${escapeHtml(pick(WORDS))}</a></p>`;
    if (k === 2) return `<ul><li>${text}</li><li><strong>${escapeHtml(pick(WORDS))}</strong></li></ul>`;
    if (k === 3) return `<p><img src="${image()}" alt="${escapeHtml(pick(WORDS))}" width="${100 + int(600)}"></p>`;
    if (k === 4) return `<p><span style="color: rgb(${int(256)}, ${int(256)}, ${int(256)});">${text}</span></p>`;
    if (k === 5) return `<blockquote><p>${text}</p></blockquote>`;
    if (k === 6)
      return `<pre><code class="language-${pick(['js', 'sql', 'bash'])}">${escapeHtml(pick(CODE))}</code></pre>`;
    if (k === 7) {
      const bg = `https://cdn.example.com/bg/${int(99)}.jpg`;
      return `<div style="background-image: url('${bg}'); padding: 12px;"><p>${text}</p></div>`;
    }
    return `<p>${text}</p>`;
  };
  const richText = (): string => {
    const parts: string[] = [];
    for (let n = 1 + int(4); n > 0; n--) parts.push(block(escapeHtml(sentence())));
    return parts.join(r() < 0.5 ? '' : '\n');
  };
  const headers = (extra: Record<string, string> = {}): Record<string, string> => ({
    Host: 'api.example.com',
    'User-Agent': pick(USER_AGENTS),
    Accept: pick([
      'application/json',
      '*/*',
      'application/json, text/plain, */*',
      'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
    ]),
    'Accept-Language': pick(['en-US,en;q=0.9', 'fr-FR,fr;q=0.8,en;q=0.5', 'de-DE', 'ja,en;q=0.7']),
    'Accept-Encoding': 'gzip, deflate, br',
    ...(r() < 0.6 ? { Authorization: `Bearer ${jwt()}` } : {}),
    ...(r() < 0.5
      ? {
          Cookie: `session=${b64(24).replace(/=+$/, '')}; theme=${pick(['dark', 'light'])}; _ga=GA1.2.${int(1e9)}.${int(1e9)}`,
        }
      : {}),
    ...(r() < 0.4 ? { Referer: `https://app.example.com/${pick(WORDS)}/${int(1000)}?tab=${pick(WORDS)}` } : {}),
    'X-Request-Id': uuid(),
    ...extra,
  });
  const json = (o: unknown): [string, Record<string, string>] => [
    JSON.stringify(o),
    headers({ 'Content-Type': 'application/json' }),
  ];
  const q = (o: Record<string, string>): string => new URLSearchParams(o).toString();

  const makers: Array<() => CorpusCase['request']> = [
    () => ({
      method: 'GET',
      path: `/api/v1/products`,
      query: q({
        q: pick(SEARCHES),
        page: String(1 + int(20)),
        sort: pick(['-price', 'name', 'created_at']),
        tags: pick(TAGS),
      }),
      headers: headers(),
      body: '',
    }),
    () => ({
      method: 'GET',
      path: `/api/v1/users/${uuid()}`,
      query: r() < 0.5 ? q({ fields: 'name,email,avatar', include: 'orders' }) : '',
      headers: headers(),
      body: '',
    }),
    () => ({
      method: 'GET',
      path: `/api/v1/search`,
      query: `q=${encodeURIComponent(pick(SEARCHES))}&filter[category]=${pick(WORDS)}&filter[price][lte]=${int(500)}&ids[]=${int(99)}&ids[]=${int(99)}`,
      headers: headers(),
      body: '',
    }),
    () => {
      const [body, h] = json({
        author: { name: name(), email: email() },
        body: comment(),
        tags: [pick(TAGS), pick(TAGS)],
        meta: { client: 'web', draft: r() < 0.2 },
      });
      return { method: 'POST', path: `/api/v1/posts/${int(9999)}/comments`, query: '', headers: h, body };
    },
    () => {
      const [body, h] = json({
        firstName: pick(FIRST),
        lastName: pick(LAST),
        email: email(),
        bio: sentence(),
        address: {
          line1: `${1 + int(200)} ${pick(LAST)} St.`,
          city: pick(['Dublin', 'Zürich', 'São Paulo', 'New York', 'Kraków']),
          zip: String(10000 + int(89999)),
        },
        website: `https://${pick(WORDS)}.example.com/~${pick(WORDS)}`,
      });
      return { method: 'PUT', path: `/api/v1/users/${uuid()}`, query: '', headers: h, body };
    },
    () => {
      const [body, h] = json({
        title: `${pick(WORDS)} & ${pick(WORDS)}: ${sentence()}`,
        description: comment(),
        priority: pick(['low', 'high']),
        attachments: [{ name: `${pick(WORDS)}-${int(99)}.png`, data: b64(48 + int(200)) }],
      });
      return { method: 'POST', path: '/api/v1/tickets', query: '', headers: h, body };
    },
    () => {
      const [body, h] = json({
        query: `query ($id: ID!) { user(id: $id) { name posts(first: 10) { edges { node { title } } } } }`,
        variables: { id: uuid() },
      });
      return { method: 'POST', path: '/graphql', query: '', headers: h, body };
    },
    () => ({
      method: 'POST',
      path: '/login',
      query: '',
      headers: headers({ 'Content-Type': 'application/x-www-form-urlencoded' }),
      body: q({
        username: email(),
        password: `${pick(WORDS)}${int(999)}!${pick(['#', '$', '&', '%', "'"])}${pick(WORDS)}`,
        remember: 'on',
        next: `/dashboard?tab=${pick(WORDS)}`,
      }),
    }),
    () => {
      const boundary = `----WebKitFormBoundary${hex(16)}`;
      const body = `--${boundary}\r\nContent-Disposition: form-data; name="caption"\r\n\r\n${sentence()}\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${pick(['IMG_2041.jpg', 'report (final).pdf', 'résumé.docx', 'photo 1.png'])}"\r\nContent-Type: ${pick(['image/jpeg', 'application/pdf', 'image/png'])}\r\n\r\n${Buffer.from(Array.from({ length: 300 }, () => int(256))).toString('latin1')}\r\n--${boundary}--\r\n`;
      return {
        method: 'POST',
        path: '/api/v1/uploads',
        query: '',
        headers: headers({ 'Content-Type': `multipart/form-data; boundary=${boundary}` }),
        body,
      };
    },
    () => {
      const [body, h] = json({
        event: pick(['order.created', 'invoice.paid', 'user.updated']),
        data: { id: uuid(), amount: int(100000) / 100, currency: 'EUR', customer: { name: name(), note: sentence() } },
      });
      return {
        method: 'POST',
        path: '/webhooks/payments',
        query: '',
        headers: { ...h, 'X-Signature': `t=${1700000000 + int(1e6)},v1=${hex(64)}` },
        body,
      };
    },
    () => ({
      method: 'GET',
      path: `/api/v1/files/${pick(WORDS)}/${pick(['report-2024.pdf', 'data.csv', 'notes.md', 'image.webp'])}`,
      query: q({ download: '1' }),
      headers: headers(),
      body: '',
    }),
    () => ({ method: 'DELETE', path: `/api/v1/sessions/${uuid()}`, query: '', headers: headers(), body: '' }),
    () => {
      const [body, h] = json({ op: 'replace', path: `/profile/${pick(WORDS)}`, value: sentence() });
      return { method: 'PATCH', path: `/api/v1/users/${uuid()}`, query: '', headers: h, body };
    },
    () => ({
      method: 'GET',
      path: '/api/v1/redirect',
      query: q({
        url: `https://partner.example.org/${pick(WORDS)}?utm_source=${pick(WORDS)}&utm_campaign=${pick(WORDS)}`,
        ref: email(),
      }),
      headers: headers(),
      body: '',
    }),
    () => {
      // A crash reporter or log shipper: stack traces, log lines, the link a user clicked.
      const [body, h] = json({
        level: pick(['error', 'warning']),
        message: sentence(),
        exception: { stacktrace: pick(STACK_TRACES) },
        breadcrumbs: [pick(LOG_LINES), pick(LOG_LINES)],
        context: { url: `https://app.example.com/${pick(WORDS)}`, clicked: pick(LINKS), release: `web@${int(9)}.${int(99)}` },
      });
      return { method: 'POST', path: '/api/v1/telemetry/errors', query: '', headers: h, body };
    },
    () => {
      // A CMS or help-desk post from a rich-text editor (TinyMCE, Quill, CKEditor): HTML with links, styles,
      // pasted images inlined as base64, and code escaped the way editors escape it.
      const [body, h] = json({ title: sentence(), content: richText(), status: pick(['draft', 'published']) });
      return { method: 'PUT', path: `/api/v1/posts/${uuid()}`, query: '', headers: h, body };
    },
    () => ({
      method: 'POST',
      path: '/api/v1/messages',
      query: '',
      headers: headers({ 'Content-Type': 'text/plain; charset=utf-8' }),
      body: comment(),
    }),
  ];
  const out: CorpusCase[] = [];
  for (let i = 0; i < count; i++) {
    const k = int(makers.length);
    out.push({
      source: 'portcullis-benign',
      id: `benign:${seed}:${i}`,
      label: 'benign',
      category: `api-${k}`,
      request: makers[k]!(),
      meta: { fp_probe: true },
    });
  }
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const arg = (name: string, dflt: number): number => {
    const i = process.argv.indexOf(name);
    return i === -1 ? dflt : Number(process.argv[i + 1]);
  };
  for (const c of generateBenignTraffic(arg('--count', 20000), arg('--seed', 7)))
    process.stdout.write(`${JSON.stringify(c)}\n`);
}
