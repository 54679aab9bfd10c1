import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Finding, Severity } from '../core/finding.ts';
import { behaviourConfigSchema } from './config.ts';
import { findingWeight, isWeak, requestRisk, separateEvidence } from './evidence.ts';
import { weakCapOf } from './policy.ts';

const { risk, policy } = behaviourConfigSchema.parse({});
const WEAK_CAP = weakCapOf(risk.weakCap, policy);
const weightOf = (f: Finding): number => findingWeight(f, risk);
const finding = (ruleId: string, severity: Severity, location?: string, extra: Partial<Finding> = {}): Finding => ({
  ruleId,
  category: ruleId.slice(0, ruleId.indexOf('.')),
  severity,
  ...(location === undefined ? {} : { location }),
  explanation: ruleId,
  ...extra,
});

describe('separate evidence', () => {
  const cases: { name: string; findings: Finding[]; kept: string[]; risk: number }[] = [
    {
      name: 'three cmdi rules on one body field count once, at the heaviest',
      findings: [
        finding('cmdi.separator-command', 'high', 'body.body'),
        finding('cmdi.separator-builtin', 'high', 'body.body'),
        finding('cmdi.unix-command', 'low', 'body.body'),
      ],
      kept: ['cmdi.separator-command'],
      risk: 45,
    },
    {
      name: 'the heaviest wins whatever the order',
      findings: [finding('cmdi.unix-command', 'low', 'query.q'), finding('cmdi.separator-command', 'critical', 'query.q')],
      kept: ['cmdi.separator-command'],
      risk: 100,
    },
    {
      name: 'one category on two inputs is two pieces of evidence',
      findings: [finding('sqli.tautology', 'high', 'query.id'), finding('sqli.tautology', 'high', 'cookie.id')],
      kept: ['sqli.tautology', 'sqli.tautology'],
      risk: 90,
    },
    {
      name: 'two categories on one input add up',
      findings: [finding('sqli.tautology', 'high', 'query.q'), finding('xss.dom-sink', 'high', 'query.q')],
      kept: ['sqli.tautology', 'xss.dom-sink'],
      risk: 90,
    },
    {
      name: 'findings without a location (behaviour windows) are never merged',
      findings: [finding('behaviour.flood', 'medium'), finding('behaviour.flood-principal', 'medium')],
      kept: ['behaviour.flood', 'behaviour.flood-principal'],
      risk: 40,
    },
    {
      name: 'a monitor-only finding neither wins a group nor adds risk',
      findings: [
        finding('cmdi.separator-command', 'critical', 'query.q', { monitorOnly: true }),
        finding('cmdi.unix-command', 'low', 'query.q'),
      ],
      kept: ['cmdi.separator-command', 'cmdi.unix-command'],
      risk: 4,
    },
    {
      name: 'a rule weight override counts, not the severity',
      // inspection.limit is medium but weighs 4 (ruleWeights); inspection.error, also medium, weighs 20.
      findings: [finding('inspection.limit', 'medium', 'request'), finding('inspection.error', 'medium', 'request')],
      kept: ['inspection.error'],
      risk: 20,
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      assert.deepEqual(
        separateEvidence(c.findings, weightOf).map((f) => f.ruleId),
        c.kept,
      );
      assert.equal(requestRisk(c.findings, risk, WEAK_CAP), c.risk);
    });
  }

  test('a request with one finding, none, or none sharing an input is returned as it came', () => {
    const one = [finding('xss.script-tag', 'critical', 'query.q')];
    assert.equal(separateEvidence(one, weightOf), one);
    const apart = [finding('xss.script-tag', 'critical', 'query.q'), finding('xss.script-tag', 'critical', 'query.r')];
    assert.equal(separateEvidence(apart, weightOf), apart);
    const none: Finding[] = [];
    assert.equal(separateEvidence(none, weightOf), none);
  });
});

describe('the whole body and its fields', () => {
  test('one category found in the whole body and in a field counts once, at the heavier', () => {
    const findings = [
      finding('sqli.tautology', 'high', 'body.var'),
      finding('sqli.tautology', 'high', 'body'),
      finding('protocol.missing-content-type', 'low', 'header.content-type'),
    ];
    assert.deepEqual(
      separateEvidence(findings, weightOf).map((f) => `${f.ruleId}@${f.location}`),
      ['sqli.tautology@body.var', 'protocol.missing-content-type@header.content-type'],
    );
    assert.equal(requestRisk(findings, risk, WEAK_CAP), 49);
  });
  test('the whole body wins when it is heavier (an attack only its whole reading sees)', () => {
    const findings = [finding('sqli.operators', 'medium', 'body.a'), finding('sqli.libinjection', 'critical', 'body')];
    assert.deepEqual(
      separateEvidence(findings, weightOf).map((f) => f.location),
      ['body'],
    );
  });
  test('two fields are still two inputs, and another category in the whole body still adds', () => {
    const findings = [
      finding('sqli.tautology', 'high', 'body.a'),
      finding('sqli.tautology', 'high', 'body.b'),
      finding('sqli.tautology', 'high', 'body'),
      finding('xss.script-tag', 'high', 'body'),
    ];
    assert.equal(requestRisk(findings, risk, WEAK_CAP), 135);
  });
});

describe('the whole query and its fields', () => {
  test('a category found in the query read whole and in one of its fields counts once', () => {
    const findings = [finding('sqli.libinjection', 'critical', 'query.q'), finding('sqli.libinjection', 'critical', 'query')];
    assert.equal(requestRisk(findings, risk, WEAK_CAP), 100);
    const apart = [finding('sqli.libinjection', 'critical', 'query.q'), finding('sqli.libinjection', 'critical', 'queryx')];
    assert.equal(requestRisk(apart, risk, WEAK_CAP), 200);
  });
});

describe('the path and its segments, a GraphQL document and its arguments', () => {
  test('a category found in the whole and in one of its parts counts once', () => {
    const high = (location: string) => finding('sqli.operators', 'high', location);
    assert.equal(requestRisk([high('path'), high('path[2]')], risk, WEAK_CAP), requestRisk([high('path')], risk, WEAK_CAP));
    const doc = 'body.operations';
    assert.equal(requestRisk([high(doc), high(`${doc}.argument`)], risk, WEAK_CAP), requestRisk([high(doc)], risk, WEAK_CAP));
    // A query arg that merely ends in `.argument` is an input of its own.
    assert.equal(requestRisk([high('query.q'), high('query.q.argument')], risk, WEAK_CAP), 2 * weightOf(high('query.q')));
    // Two segments are two inputs; a location that merely starts with `path` is another input.
    assert.equal(requestRisk([high('path[1]'), high('path[2]')], risk, WEAK_CAP), 2 * weightOf(high('path[1]')));
    assert.equal(requestRisk([high('path'), high('pathx')], risk, WEAK_CAP), 2 * weightOf(high('path')));
  });
});

describe('weak evidence', () => {
  const content = (ruleId: string, severity: Finding['severity'], location: string): Finding => ({
    ...finding(ruleId, severity, location),
    content: true,
  });
  test('content findings up to medium are weak; headers, checks, highs and rules weighed above a medium are not', () => {
    assert.equal(isWeak(content('xss.html-injection', 'medium', 'body.html'), risk), true);
    assert.equal(isWeak(content('cmdi.unix-command', 'low', 'query.q'), risk), true);
    assert.equal(isWeak(content('php.superglobal', 'high', 'body.note'), risk), false);
    assert.equal(isWeak(finding('scanner.tool-header', 'medium', 'header.user-agent'), risk), false);
    const heavier = { ...risk, ruleWeights: { ...risk.ruleWeights, 'cmdi.separator-command': 100 } };
    const lighter = { ...risk, ruleWeights: { ...risk.ruleWeights, 'cmdi.separator-command': 10 } };
    assert.equal(isWeak(content('cmdi.separator-command', 'medium', 'body.c'), heavier), false);
    assert.equal(isWeak(content('cmdi.separator-command', 'medium', 'body.c'), lighter), true);
  });
  test('one request counts its weak evidence up to the cap, as the risk book does', () => {
    const findings = [
      content('xss.html-injection', 'medium', 'body.html'),
      content('sqli.libinjection', 'medium', 'body.note'),
      content('cmdi.separator-builtin', 'medium', 'body.code'),
    ];
    assert.equal(requestRisk(findings, risk, WEAK_CAP), 30);
    assert.equal(requestRisk([...findings, content('php.superglobal', 'high', 'body.x')], risk, WEAK_CAP), 75);
  });
});
