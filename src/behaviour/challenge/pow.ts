import { createHash, randomBytes } from 'node:crypto';

/**
 * Proof of work for browser traffic (hashcash, Back 2002; the same idea as anubis): find a nonce such that
 * SHA-256(token + "." + nonce) starts with `difficulty` zero bits. The expected cost doubles per bit: 2^16 hashes
 * take a phone well under a second, 2^20 a few seconds. The difficulty is signed into the token, so a client
 * cannot pick an easier one, and the token is bound to the client, so a solution cannot be shared.
 *
 * The page computes SHA-256 in plain JavaScript (below) rather than `crypto.subtle`, which browsers only expose on
 * secure origins: a gateway serving plain HTTP must still be able to challenge.
 */
export function leadingZeroBits(digest: Uint8Array): number {
  let bits = 0;
  for (const byte of digest) {
    if (byte === 0) {
      bits += 8;
      continue;
    }
    return bits + Math.clz32(byte) - 24;
  }
  return bits;
}

export function checkSolution(token: string, nonce: string, difficulty: number): boolean {
  if (!/^[0-9a-z]{1,16}$/.test(nonce)) return false;
  return leadingZeroBits(createHash('sha256').update(`${token}.${nonce}`).digest()) >= difficulty;
}

/** SHA-256 over an ASCII string, returning the eight state words; FIPS 180-4 §6.2. Runs in the page. */
export const SHA256_JS = `function sha256(s){var K=[1116352408,1899447441,-1245643825,-373957723,961987163,1508970993,-1841331548,-1424204075,-670586216,310598401,607225278,1426881987,1925078388,-2132889090,-1680079193,-1046744716,-459576895,-272742522,264347078,604807628,770255983,1249150122,1555081692,1996064986,-1740746414,-1473132947,-1341970488,-1084653625,-958395405,-710438585,113926993,338241895,666307205,773529912,1294757372,1396182291,1695183700,1986661051,-2117940946,-1838011259,-1564481375,-1474664885,-1035236496,-949202525,-778901479,-694614492,-200395387,275423344,430227734,506948616,659060556,883997877,958139571,1322822218,1537002063,1747873779,1955562222,2024104815,-2067236844,-1933114872,-1866530822,-1538233109,-1090935817,-965641998];
var H=[1779033703,-1150833019,1013904242,-1521486534,1359893119,-1694144372,528734635,1541459225];
var l=s.length,n=((l+8)>>6)+1,W=new Int32Array(n*16),w=new Int32Array(64),i,t,b;
for(i=0;i<l;i++)W[i>>2]|=s.charCodeAt(i)<<(24-(i&3)*8);W[l>>2]|=128<<(24-(l&3)*8);W[n*16-1]=l*8;
for(b=0;b<n;b++){for(t=0;t<16;t++)w[t]=W[b*16+t];
for(t=16;t<64;t++){var x=w[t-15],y=w[t-2];w[t]=(w[t-16]+(((x>>>7)|(x<<25))^((x>>>18)|(x<<14))^(x>>>3))+w[t-7]+(((y>>>17)|(y<<15))^((y>>>19)|(y<<13))^(y>>>10)))|0;}
var a=H[0],c=H[1],d=H[2],e=H[3],f=H[4],g=H[5],h=H[6],k=H[7];
for(t=0;t<64;t++){var t1=(k+(((f>>>6)|(f<<26))^((f>>>11)|(f<<21))^((f>>>25)|(f<<7)))+((f&g)^(~f&h))+K[t]+w[t])|0;
var t2=((((a>>>2)|(a<<30))^((a>>>13)|(a<<19))^((a>>>22)|(a<<10)))+((a&c)^(a&d)^(c&d)))|0;k=h;h=g;g=f;f=(e+t1)|0;e=d;d=c;c=a;a=(t1+t2)|0;}
H=[(H[0]+a)|0,(H[1]+c)|0,(H[2]+d)|0,(H[3]+e)|0,(H[4]+f)|0,(H[5]+g)|0,(H[6]+h)|0,(H[7]+k)|0];}
return H;}`;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The challenge page. It says nothing about why (style rule 11), shows the incident id, and works without any
 * SDK: the script solves, stores the answer in a cookie and reloads; the gateway checks it server-side.
 */
export function powPage(input: {
  token: string;
  difficulty: number;
  cookieName: string;
  maxAgeSeconds: number;
  incidentId: string;
}): {
  html: string;
  csp: string;
} {
  const scriptNonce = randomBytes(12).toString('base64');
  const config = JSON.stringify({ t: input.token, d: input.difficulty, c: input.cookieName, m: input.maxAgeSeconds });
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><title>Checking your browser</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:15vh auto;padding:0 1rem;color:#222}code{color:#555}</style>
</head><body>
<h1>One moment…</h1>
<p id="status">Your browser is completing a short check. This page reloads by itself.</p>
<noscript><p>This check needs JavaScript. Incident <code>${escapeHtml(input.incidentId)}</code>.</p></noscript>
<p><small>Incident <code>${escapeHtml(input.incidentId)}</code></small></p>
<script nonce="${scriptNonce}">
${SHA256_JS}
(function(){var p=${config.replace(/</g, '\\u003c')};
function zeros(h){var z=0;for(var i=0;i<8;i++){var v=h[i]>>>0;if(v===0){z+=32;continue}return z+Math.clz32(v)}return z}
var n=0,start=Date.now();function step(){for(var i=0;i<20000;i++,n++){if(zeros(sha256(p.t+'.'+n.toString(36)))>=p.d){
document.cookie=p.c+'='+p.t+'.'+n.toString(36)+'; Max-Age='+p.m+'; Path=/; SameSite=Lax';
document.getElementById('status').textContent='Done in '+(Date.now()-start)+' ms, reloading…';location.reload();return}}
setTimeout(step,0)}step()})();
</script></body></html>`;
  return {
    html,
    csp: `default-src 'none'; script-src 'nonce-${scriptNonce}'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'`,
  };
}
