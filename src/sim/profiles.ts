/**
 * How each simulated client stack writes its requests: header names, order and values, and what it does with
 * cookies, redirects, Retry-After and challenge pages. The attack stacks copy what real tools do: a stuffing
 * tool sends a browser User-Agent over a non-browser HTTP library (headers in the library's order, no
 * `sec-fetch-*`), which is exactly the inconsistency a header-order fingerprint sees.
 */
export interface ClientProfile {
  readonly name: string;
  /** Headers in the order the stack sends them (Host is added first by the client). */
  readonly headers: readonly (readonly [string, string])[];
  readonly keepsCookies: boolean;
  readonly followsRedirects: boolean;
  /** 'honour' waits and retries once; 'ignore' retries at once; 'give-up' moves on. */
  readonly retryAfter: 'honour' | 'ignore' | 'give-up';
  /** Runs the proof-of-work page (a real browser does). */
  readonly solvesPow: boolean;
}

const CHROME_UA =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

export const PROFILES = {
  chrome: {
    name: 'chrome',
    // Chrome over HTTP/1.1 capitalises its classic headers and sends client hints in lower case.
    headers: [
      ['Connection', 'keep-alive'],
      ['sec-ch-ua', '"Chromium";v="131", "Not_A Brand";v="24"'],
      ['sec-ch-ua-mobile', '?0'],
      ['sec-ch-ua-platform', '"Windows"'],
      ['Upgrade-Insecure-Requests', '1'],
      ['User-Agent', CHROME_UA],
      ['Accept', 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8'],
      ['Sec-Fetch-Site', 'same-origin'],
      ['Sec-Fetch-Mode', 'navigate'],
      ['Sec-Fetch-Dest', 'document'],
      ['Accept-Encoding', 'gzip, deflate, br, zstd'],
      ['Accept-Language', 'en-GB,en;q=0.9'],
    ],
    keepsCookies: true,
    followsRedirects: true,
    retryAfter: 'honour',
    solvesPow: true,
  },
  mobile: {
    name: 'mobile',
    headers: [
      ['user-agent', 'ShopApp/3.2.1 (Android 14; Pixel 8) okhttp/4.12.0'],
      ['accept', 'application/json'],
      ['accept-encoding', 'gzip'],
      ['connection', 'Keep-Alive'],
    ],
    keepsCookies: false,
    followsRedirects: true,
    retryAfter: 'honour',
    solvesPow: false,
  },
  partner: {
    name: 'partner',
    headers: [
      ['user-agent', 'acme-sync/2.4 (+https://partner.example/bot)'],
      ['accept', 'application/json'],
      ['connection', 'keep-alive'],
    ],
    keepsCookies: false,
    followsRedirects: false,
    retryAfter: 'honour',
    solvesPow: false,
  },
  stuffer: {
    name: 'stuffer (python-requests, Chrome UA)',
    headers: [
      ['user-agent', CHROME_UA],
      ['accept-encoding', 'gzip, deflate'],
      ['accept', '*/*'],
      ['connection', 'keep-alive'],
    ],
    keepsCookies: false,
    followsRedirects: false,
    retryAfter: 'give-up',
    solvesPow: false,
  },
  stufferRetooled: {
    name: 'stuffer (Go net/http, Firefox UA, cookie jar)',
    headers: [
      ['user-agent', 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0'],
      ['accept', 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8'],
      ['accept-language', 'en-US,en;q=0.5'],
      ['accept-encoding', 'gzip'],
    ],
    keepsCookies: true,
    followsRedirects: true,
    retryAfter: 'ignore',
    solvesPow: false,
  },
  scraper: {
    name: 'scraper (aiohttp)',
    headers: [
      ['user-agent', 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_2) AppleWebKit/605.1.15 Safari/605.1.15'],
      ['accept', '*/*'],
      ['accept-encoding', 'gzip, deflate'],
    ],
    keepsCookies: false,
    followsRedirects: false,
    retryAfter: 'ignore',
    solvesPow: false,
  },
  scanner: {
    name: 'scanner',
    headers: [
      [
        'user-agent',
        'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36',
      ],
      ['accept', '*/*'],
      ['connection', 'close'],
    ],
    keepsCookies: false,
    followsRedirects: false,
    retryAfter: 'give-up',
    solvesPow: false,
  },
  flooder: {
    name: 'flooder (Go-http-client)',
    headers: [
      ['user-agent', 'Go-http-client/1.1'],
      ['accept-encoding', 'gzip'],
    ],
    keepsCookies: false,
    followsRedirects: false,
    retryAfter: 'ignore',
    solvesPow: false,
  },
} as const satisfies Record<string, ClientProfile>;
