import type { ExtractedRequest, InspectionInput } from '../types.ts';
import type { CheckHit } from './index.ts';

/**
 * Parameter names PHP applications pass to include()/require() (the remote-file-inclusion CVEs of Mambo/Joomla
 * components, phpBB, Gallery: mosConfig_absolute_path, phpbb_root_path, GALLERY_BASEDIR, _CONF[path]...).
 */
const INCLUDE_PARAM = /(?:path|dir|root|include|inc|basedir|conf|lang|module|template|tpl|theme|file)(?:$|[\]_])/i;
const REMOTE = /^\s*(?:https?|ftps?):\/\/[^/\s]/i;

export function rfiParameter(_req: InspectionInput, ex: ExtractedRequest): CheckHit[] {
  const hits: CheckHit[] = [];
  for (const i of ex.inputs) {
    if ((i.kind === 'query' || i.kind === 'body') && REMOTE.test(i.value)) {
      const name = i.location.slice(i.location.indexOf('.') + 1);
      if (INCLUDE_PARAM.test(name)) hits.push({ location: i.location, fragment: i.value });
    }
  }
  return hits;
}

/** Session cookie names of common stacks; seeing one as a parameter means a session id travels in a URL or body. */
const SESSION_PARAM =
  /^(?:\w*sess(?:ion)?(?:[-_.:]?(?:id|token|key))?|[a-z]{0,6}sid|[\w-]+[.:](?:sess|session|sid)|jsessionid|aspsessionid\w*|cakephp|cfid|cftoken|symfony|frontend|wordpress_logged_in\w*|\w*login[-_]token|next-auth\.session-token|shiny-token)$/i;

export function sessionIdParam(_req: InspectionInput, ex: ExtractedRequest): CheckHit[] {
  const hits: CheckHit[] = [];
  for (const i of ex.inputs) {
    if (i.kind !== 'key' || i.location.startsWith('cookie.')) continue;
    const name = i.value.slice(i.value.lastIndexOf('.', i.value.length - 5) + 1);
    if (SESSION_PARAM.test(i.value) || SESSION_PARAM.test(name)) hits.push({ location: i.location, fragment: i.value });
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
