import { describe, expect, it } from 'vitest';
import { hashEmailForId } from './hash-email.js';
import { scanForPii, scanForPiiReport } from './scan.js';

describe('scanForPii', () => {
  it('finds PII by key and by value, with paths', () => {
    const findings = scanForPii({
      userId: 'u_123',
      traits: {
        email: 'jane@example.com',
        first_name: 'Jane',
        address: { street: '12 Main Street' },
      },
      properties: {
        note: 'call me at 415-555-2671',
        items: [{ sku: 'A1' }, { comment: 'ip 203.0.113.9' }],
      },
    });
    const summary = findings.map((f) => `${f.path} ${f.kind} ${f.via}`);
    expect(summary).toEqual([
      '$.traits.email email key',
      '$.traits.first_name name key',
      '$.traits.address.street postal_address key',
      '$.properties.note phone value',
      '$.properties.items[1].comment ip value',
    ]);
  });

  it('passes a realistic, clean DMP signal payload', () => {
    expect(
      scanForPii({
        seg: ['sports', 'running'],
        kw: 'running shoes',
        price: 129.99,
        currency: 'EUR',
        zip: '10001',
        ts: 1700000000,
        uid: '550e8400-e29b-41d4-a716-446655440000',
        cookie: 'GA1.2.1234567890.1700000000',
        em: hashEmailForId('jane@example.com'),
        email_sha256: hashEmailForId('john@example.com'),
        page: { url: 'https://shop.example/p/123?utm_source=mail', title: 'Running shoes | Shop' },
        device: { ua: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0.0.0', ip: '203.0.113.0' },
        product_name: 'Pegasus 41',
        email_opened: true,
        phone_model: 'Pixel 8',
      }),
    ).toEqual([]);
  });

  it('does not flag a hashed email even under an "email" key', () => {
    expect(scanForPii({ email: hashEmailForId('jane@example.com') })).toEqual([]);
  });

  it('judges values by plausibility for their key', () => {
    const findings = scanForPii({
      email: true,
      phone: 'n/a',
      mobile: '+33 6 12 34 56 78',
      ip: '10.1.2.0',
    });
    expect(findings.map((f) => [f.path, f.kind, f.via])).toEqual([['$.mobile', 'phone', 'key']]);
  });

  it('reports numeric phone numbers under a phone key', () => {
    expect(scanForPii({ phone: 4155552671 })).toEqual([
      { path: '$.phone', kind: 'phone', via: 'key', match: '4155552671' },
    ]);
  });

  it('treats a bare "name" as a person only under person-like parents', () => {
    expect(scanForPii({ traits: { name: 'Jane Doe' } })[0]).toMatchObject({
      kind: 'name',
      path: '$.traits.name',
    });
    expect(scanForPii({ product: { name: 'Pegasus 41' } })).toEqual([]);
    expect(scanForPii({ name: 'Spring Sale' })).toEqual([]);
  });

  it('judges array elements by the array key', () => {
    const findings = scanForPii({ emails: ['a', 'jane@example.com'], phones: ['0612345678'] });
    // '0612345678' alone is not phone-shaped; only the "phones" key makes it one.
    expect(findings.map((f) => [f.path, f.via])).toEqual([
      ['$.emails[1]', 'key'],
      ['$.phones[0]', 'key'],
    ]);
  });

  it('finds PII used as a property name', () => {
    expect(scanForPii({ 'jane@example.com': { visits: 3 } })).toEqual([
      { path: '$["jane@example.com"]', kind: 'email', via: 'key-text', match: 'jane@example.com' },
    ]);
  });

  it('reports a value once when key and value agree, and both kinds when they differ', () => {
    expect(scanForPii({ email: 'jane@example.com' })).toHaveLength(1);
    const mixed = scanForPii({ email: 'jane@example.com / +33 6 12 34 56 78' });
    expect(mixed.map((f) => [f.kind, f.via])).toEqual([
      ['email', 'key'],
      ['phone', 'value'],
    ]);
  });

  it('scans a top-level string or array', () => {
    expect(scanForPii('jane@example.com')[0]?.path).toBe('$');
    expect(scanForPii(['ok', '4111 1111 1111 1111'])[0]).toMatchObject({
      path: '$[1]',
      kind: 'credit_card',
    });
    expect(scanForPii(null)).toEqual([]);
  });
});

describe('scanForPiiReport limits', () => {
  it('stops at the depth limit and says so', () => {
    let deep: Record<string, unknown> = { email: 'jane@example.com' };
    for (let i = 0; i < 20; i++) deep = { nested: deep };
    const report = scanForPiiReport(deep, { maxDepth: 10 });
    expect(report.complete).toBe(false);
    expect(report.findings).toEqual([]);
    const full = scanForPiiReport(deep, { maxDepth: 30 });
    expect(full.complete).toBe(true);
    expect(full.findings).toHaveLength(1);
  });

  it('caps findings and visited nodes', () => {
    const many = Array.from({ length: 50 }, (_, i) => `user${i}@example.com`);
    const capped = scanForPiiReport(many, { maxFindings: 5 });
    expect(capped.findings).toHaveLength(5);
    expect(capped.complete).toBe(false);
    const nodes = scanForPiiReport(many, { maxNodes: 10 });
    expect(nodes.complete).toBe(false);
    expect(nodes.findings.length).toBeLessThan(10);
  });

  it('survives cycles', () => {
    const a: Record<string, unknown> = { email: 'jane@example.com' };
    a.self = a;
    const report = scanForPiiReport(a);
    expect(report.findings).toHaveLength(1);
    expect(report.complete).toBe(true);
  });
});
