/**
 * Header sets as each client stack sends them by default (names in arrival order, original casing), for case-table
 * tests of the HTTP fingerprint and the claimed-vs-real checks. Browser rows follow published captures of a
 * top-level navigation over HTTPS/1.1 (Chrome 131, Firefox 133, Safari 18); the library rows follow the libraries'
 * defaults (okhttp 4.12, python-requests 2.32, Go 1.22 net/http); Node fetch (undici), curl, wget and
 * Python-urllib were recorded live here. Values that vary per user (locale) use a common choice.
 */
export type RawHeaders = readonly string[];

const CHROME_UA =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const FIREFOX_UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0';
const SAFARI_UA =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15';

export const STACKS: Readonly<Record<string, RawHeaders>> = {
  chrome: [
    'Host',
    'api.example.com',
    'Connection',
    'keep-alive',
    'sec-ch-ua',
    '"Google Chrome";v="131", "Chromium";v="131", "Not_A Brand";v="24"',
    'sec-ch-ua-mobile',
    '?0',
    'sec-ch-ua-platform',
    '"Windows"',
    'Upgrade-Insecure-Requests',
    '1',
    'User-Agent',
    CHROME_UA,
    'Accept',
    'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7',
    'Sec-Fetch-Site',
    'none',
    'Sec-Fetch-Mode',
    'navigate',
    'Sec-Fetch-User',
    '?1',
    'Sec-Fetch-Dest',
    'document',
    'Accept-Encoding',
    'gzip, deflate, br, zstd',
    'Accept-Language',
    'en-US,en;q=0.9',
  ],
  firefox: [
    'Host',
    'api.example.com',
    'User-Agent',
    FIREFOX_UA,
    'Accept',
    'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
    'Accept-Language',
    'en-US,en;q=0.5',
    'Accept-Encoding',
    'gzip, deflate, br, zstd',
    'Connection',
    'keep-alive',
    'Upgrade-Insecure-Requests',
    '1',
    'Sec-Fetch-Dest',
    'document',
    'Sec-Fetch-Mode',
    'navigate',
    'Sec-Fetch-Site',
    'none',
    'Sec-Fetch-User',
    '?1',
    'Priority',
    'u=0, i',
  ],
  safari: [
    'Host',
    'api.example.com',
    'Accept',
    'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
    'Sec-Fetch-Site',
    'none',
    'Sec-Fetch-Dest',
    'document',
    'Accept-Language',
    'en-GB,en;q=0.9',
    'Sec-Fetch-Mode',
    'navigate',
    'User-Agent',
    SAFARI_UA,
    'Accept-Encoding',
    'gzip, deflate, br',
    'Connection',
    'keep-alive',
  ],
  okhttp: [
    'Host',
    'api.example.com',
    'Connection',
    'Keep-Alive',
    'Accept-Encoding',
    'gzip',
    'User-Agent',
    'okhttp/4.12.0',
  ],
  pythonRequests: [
    'Host',
    'api.example.com',
    'User-Agent',
    'python-requests/2.32.3',
    'Accept-Encoding',
    'gzip, deflate',
    'Accept',
    '*/*',
    'Connection',
    'keep-alive',
  ],
  go: ['Host', 'api.example.com', 'User-Agent', 'Go-http-client/1.1', 'Accept-Encoding', 'gzip'],
  curl: ['Host', 'api.example.com', 'User-Agent', 'curl/7.88.1', 'Accept', '*/*'],
  nodeFetch: [
    'host',
    'api.example.com',
    'connection',
    'keep-alive',
    'accept',
    '*/*',
    'accept-language',
    '*',
    'sec-fetch-mode',
    'cors',
    'user-agent',
    'node',
    'accept-encoding',
    'gzip, deflate',
  ],
  wget: [
    'Host',
    'api.example.com',
    'User-Agent',
    'Wget/1.21.3',
    'Accept',
    '*/*',
    'Accept-Encoding',
    'identity',
    'Connection',
    'Keep-Alive',
  ],
  pythonUrllib: [
    'Accept-Encoding',
    'identity',
    'Host',
    'api.example.com',
    'User-Agent',
    'Python-urllib/3.11',
    'Connection',
    'close',
  ],
};

/** The same stack's headers with a different UA (what a script claiming to be a browser sends). */
export function withUserAgent(headers: RawHeaders, ua: string): string[] {
  const out = [...headers];
  for (let i = 0; i < out.length; i += 2) if (out[i]!.toLowerCase() === 'user-agent') out[i + 1] = ua;
  return out;
}

export { CHROME_UA, FIREFOX_UA, SAFARI_UA };
