import type { ExtractedRequest, InspectionInput } from '../types.ts';
import type { CheckHit } from './index.ts';

const REMOTE = /^\s*(?:https?|ftps?):\/\/[^/\s]/i;

/**
 * A remote include that cuts off the suffix the application appends (`include($dir . '/config.php')` fetches
 * `http://evil/x.txt?/config.php`): a URL whose last path segment names a file, ending in `?` or a NUL. Not `#`:
 * single-page apps end their return URLs with one.
 */
const CUT_OFF_URL = /^\s*(?:https?|ftps?):\/\/[^/\s?#]+\/(?:[^\s?#]*\/)?[^/\s?#]+\.[a-z0-9]{1,5}(?:\?+|%00|\0)\s*$/i;
/**
 * Parameter names PHP applications pass to include()/require() (the remote-file-inclusion CVEs of Mambo/Joomla
 * components, phpBB, Gallery: `mosConfig_absolute_path`, `phpbb_root_path`, `GALLERY_BASEDIR`, `_CONF[path]`), as a
 * whole word of the name, not inside one: `redir`, and `profile` (OIDC's claim, FHIR's `meta.profile`, both URLs on
 * every request that carries them). For the cut-off rule never a return or redirect target either, whose URL the
 * application hands back to the browser.
 */
const INCLUDE_NAME = /(?:^|[_[.\]-])(?:path|dir|root|include|inc|basedir|conf|lang|module|template|tpl|theme|file)(?:$|[\]_])/i;
/** With a cut-off URL, also the compound names (`abspath`, `basePath`, `configFile`, `templatefile`, `mainpath`). */
const INCLUDE_NAME_COMPOUND =
  /(?:^|[_[.\]-])(?:(?:abs|base|root|include|inc|lib|config|conf|template|tpl|theme|lang|module|plugin|app|site|main|class)_?)?(?:path|dir|root|include|inc|basedir|conf|lang|module|template|tpl|theme|file)(?:$|[\]_])/i;
const RETURN_NAME = /return|redirect|redir|next|callback|success|cancel|continue|goto|target|url|link|href/i;
/**
 * A URL to a web page's script or stylesheet (`https://cdn.example/app.3f2a.js`, `…/main.js:12:40`, a source map),
 * or to a document, spreadsheet, picture, archive or media file (`…/report.pdf`, `…/export.csv`): what a browser's
 * CSP report (`sourceFile`), an error tracker's stack frame (`file`) and a file share or import (`file_url`) name.
 * include() runs `<?php` in any file whatever its name, but remote inclusion serves its code as text — `.txt`,
 * `.php`, `.inc`, HTML, JSON or XML, or a URL without an extension or cut off with `?` — and those stay.
 */
const ASSET_URL =
  /^[^?#]*\.(?:m?js|cjs|css|map|pdf|docx?|xlsx?|pptx?|odt|ods|csv|tsv|zip|gz|tgz|png|jpe?g|gif|webp|svg|ico|woff2?|ttf|eot|mp[34]|mov|webm|wav)(?::\d{1,7}){0,2}(?:[?#][^?]*)?$/i;

function remoteIncludes(ex: ExtractedRequest, cutOffOnly: boolean): CheckHit[] {
  const hits: CheckHit[] = [];
  for (const i of ex.inputs) {
    if (i.kind !== 'query' && i.kind !== 'body') continue;
    if (cutOffOnly ? !CUT_OFF_URL.test(i.value) : !REMOTE.test(i.value) || ASSET_URL.test(i.value)) continue;
    const name = i.location.slice(i.location.indexOf('.') + 1);
    if (cutOffOnly ? INCLUDE_NAME_COMPOUND.test(name) && !RETURN_NAME.test(name) : INCLUDE_NAME.test(name))
      hits.push({ location: i.location, fragment: i.value });
  }
  return hits;
}

export function rfiParameter(_req: InspectionInput, ex: ExtractedRequest): CheckHit[] {
  return remoteIncludes(ex, false);
}

/** An off-site URL in an include-path parameter, ending in what cuts off the application's suffix. */
export function rfiParameterCutOff(_req: InspectionInput, ex: ExtractedRequest): CheckHit[] {
  return remoteIncludes(ex, true);
}

/**
 * A reconnaissance command as a whole value: what a web shell or a command endpoint is first asked to run. Alone
 * these are everyday words (`id`, `dir`, `ver`), so they count only under a parameter named like a command.
 */
const RECON_COMMAND =
  /^\s*(?:whoami|id|uname(?:\s+-[a-z]+)?|hostname|pwd|ifconfig|ipconfig(?:\s+\/all)?|netstat(?:\s+-[a-z]+)?|systeminfo|tasklist|ver|ls(?:\s+-[a-z]+)?(?:\s+[/~.][^\s;|&]*)?|dir(?:\s+[a-z]:\\?[^\s;|&]*)?|cat\s+\/[^\s;|&]+|type\s+[a-z]:\\[^\s;|&]+|ps(?:\s+-?[a-z]+)?|net\s+(?:user|localgroup)|echo\s+\S+|ping\s+(?:-[a-z]\s+\d+\s+)?[\w.-]+|(?:wget|curl)\s+\S+)\s*$/i;
const COMMAND_PARAM = /(?:^|[.\]])(?:cmd|command|cmdline|exec|execute|shell)$/i;

export function commandParameter(_req: InspectionInput, ex: ExtractedRequest): CheckHit[] {
  const hits: CheckHit[] = [];
  for (const i of ex.inputs) {
    // The value test first: it fails on the first character for nearly every value.
    if ((i.kind === 'query' || i.kind === 'body') && i.value.length <= 128 && RECON_COMMAND.test(i.value)) {
      const name = i.location.slice(i.location.indexOf('.') + 1);
      if (COMMAND_PARAM.test(name)) hits.push({ location: i.location, fragment: i.value });
    }
  }
  return hits;
}

/**
 * The cookie names of particular stacks (PHPSESSID, JSESSIONID, `connect.sid`, laravel_session…): a session id
 * wherever it travels.
 */
const STACK_SESSION_PARAM =
  /^(?:php\w{0,8}sess\w{0,8}|jsessionid|aspsessionid\w*|[\w-]+[.:](?:sess|session|sid)|laravel_session|ci_session|cakephp|cfid|cftoken|symfony|wordpress_logged_in\w*|next-auth\.session-token|shiny-token)$/i;
/** Generic session names (`session_id`, `sessionToken`, `sid`, `login_token`): one in a URL or a form. */
const GENERIC_SESSION_PARAM =
  /^(?:\w*sess(?:ion)?(?:[-_.:]?(?:id|token|key))?|(?![a-z]{0,6}ssid$)[a-z]{0,6}sid|frontend|\w*login[-_]token)$/i;

/** A parameter's own name: the last dotted segment of a key path (`user.session_id` → `session_id`). */
const lastName = (key: string) => key.slice(key.lastIndexOf('.', key.length - 5) + 1);

/**
 * Argument names repeat on almost every request of an API (`productId`, `address.city`), and the session patterns
 * are long anchored alternations: the verdict per name is kept (bounded, cleared when full; names only, never values).
 */
const sessionNameSeen = new Map<string, boolean>();
const SESSION_NAMES_MAX = 4096;

/** Twilio's resource ids (`BundleSid`, `FlowSid`, `RoleSid`): a capitalised word and `Sid`, no session. */
const PASCAL_SID = /(?:^|\.)[A-Z][a-z]{1,8}Sid$/;

function isSessionName(key: string): boolean {
  let hit = sessionNameSeen.get(key);
  if (hit === undefined) {
    const name = lastName(key);
    hit =
      !PASCAL_SID.test(key) &&
      (STACK_SESSION_PARAM.test(key) ||
        STACK_SESSION_PARAM.test(name) ||
        GENERIC_SESSION_PARAM.test(key) ||
        GENERIC_SESSION_PARAM.test(name));
    if (key.length <= 128) {
      if (sessionNameSeen.size >= SESSION_NAMES_MAX) sessionNameSeen.clear();
      sessionNameSeen.set(key, hit);
    }
  }
  return hit;
}

/**
 * In the query and in form bodies any session-like name counts: a session id fixed on a victim travels in a link or
 * an auto-submitted form. In a JSON or XML body only a stack's own cookie name does: `session_id` there is an
 * analytics SDK's (Amplitude, GA4 and Segment send one with every event), sent by the client's own code.
 */
export function sessionIdParam(_req: InspectionInput, ex: ExtractedRequest): CheckHit[] {
  const hits: CheckHit[] = [];
  const formBody = ex.bodyFormat === 'form' || ex.bodyFormat === 'multipart';
  for (const i of ex.inputs) {
    if (i.kind !== 'key' || i.location.startsWith('cookie.')) continue;
    if (!isSessionName(i.value)) continue;
    if (formBody || i.location.startsWith('query.') || STACK_SESSION_PARAM.test(lastName(i.value)))
      hits.push({ location: i.location, fragment: i.value });
  }
  return hits;
}

/** Headers only scanners send by default (Acunetix, HP WebInspect, IBM AppScan, Netsparker). */
const SCANNER_HEADERS = [
  'acunetix-aspect',
  'acunetix-aspect-password',
  'acunetix-aspect-queries',
  'x-scan-memo',
  'x-wipp',
  'x-requestmanager-memo',
  'x-request-memo',
  'x-scanner',
  'bytes-range-probe',
  'x-netsparker',
];

export function scannerHeaders(req: InspectionInput): CheckHit[] {
  const hits: CheckHit[] = [];
  for (const h of SCANNER_HEADERS)
    if (req.headers[h] !== undefined) hits.push({ location: `header.${h}`, fragment: h });
  return hits;
}

/**
 * ThinkPHP 5.0 reads `_method` as the request method and calls it on the Request object, so `__construct` re-runs
 * the constructor with the attacker's `filter[]` and `server[…]` (CVE-2018-20062, 5.0.23's variant). The field name
 * is the framework's; `__construct` under any other name is a PHP search or a trace's function name.
 */
export function methodOverrideConstructor(_req: InspectionInput, ex: ExtractedRequest): CheckHit[] {
  const hits: CheckHit[] = [];
  for (const i of ex.inputs)
    if ((i.kind === 'query' || i.kind === 'body') && i.value.length === 11 && i.value.toLowerCase() === '__construct' && i.location.endsWith('._method'))
      hits.push({ location: i.location, fragment: i.value });
  return hits;
}
