import type { ExtractedRequest, InspectionInput } from '../types.ts';
import { binaryBody, invalidJson, multipartAnomaly, unsafeCharset, xmlEncoding, xmlInternalEntity } from './body-format.ts';
import {
  bodyOnGet,
  bodyWithoutContentType,
  headerAnomaly,
  headerOddity,
  invalidUtf8,
  malformedContentType,
  selfTrustedHeaders,
} from './headers.ts';
import {
  commandParameter,
  methodOverrideConstructor,
  rfiParameter,
  rfiParameterCutOff,
  scannerHeaders,
  sessionIdParam,
} from './params.ts';
import { conflictingLength, invalidMethod, invalidUrlEncoding, unsupportedTransferEncoding } from './protocol.ts';

/** Where a check matched and the evidence to show (already short; the inspector truncates it anyway). */
export interface CheckHit {
  readonly location: string;
  readonly fragment: string;
}

/**
 * A request-level check: protocol anomalies are about the request's shape (its method, framing, encodings),
 * not about a value matching a pattern, so they are code. Rules in `rules/protocol.yaml` name them.
 */
export type Check = (req: InspectionInput, extracted: ExtractedRequest) => CheckHit[];

/** The registry rule files refer to by name (style rule 3: registered explicitly, no import side effects). */
export const CHECKS: Readonly<Record<string, Check>> = {
  'invalid-method': invalidMethod,
  'conflicting-length': conflictingLength,
  'unsupported-transfer-encoding': unsupportedTransferEncoding,
  'invalid-url-encoding': invalidUrlEncoding,
  'multipart-anomaly': multipartAnomaly,
  'invalid-json': invalidJson,
  'unsafe-charset': unsafeCharset,
  'xml-encoding': xmlEncoding,
  'xml-internal-entity': xmlInternalEntity,
  'rfi-parameter': rfiParameter,
  'rfi-parameter-cut-off': rfiParameterCutOff,
  'command-parameter': commandParameter,
  'session-id-param': sessionIdParam,
  'method-override-constructor': methodOverrideConstructor,
  'scanner-headers': scannerHeaders,
  'self-trusted-headers': selfTrustedHeaders,
  'body-on-get': bodyOnGet,
  'body-without-content-type': bodyWithoutContentType,
  'malformed-content-type': malformedContentType,
  'header-anomaly': headerAnomaly,
  'header-oddity': headerOddity,
  'invalid-utf8': invalidUtf8,
  'binary-body': binaryBody,
};
