import { describe, expect, it } from 'vitest';
import { checkBidRequest, consentOf, dmpIdOf, type JsonObject, withSegments } from './openrtb.js';

const domain = 'dmp.example';

describe('dmpIdOf', () => {
  it('prefers the eid of our domain, then buyeruid, then user.id', () => {
    const user = {
      id: 'exchange-id',
      buyeruid: 'td_buyer',
      eids: [
        { source: 'other.com', uids: [{ id: 'theirs' }] },
        { source: domain, uids: [{ id: 'td_eid' }] },
      ],
    };
    expect(dmpIdOf({ id: '1', imp: [{}], user }, domain)).toBe('td_eid');
    expect(dmpIdOf({ id: '1', imp: [{}], user: { ...user, eids: [] } }, domain)).toBe('td_buyer');
    expect(dmpIdOf({ id: '1', imp: [{}], user: { id: 'exchange-id' } }, domain)).toBe(
      'exchange-id',
    );
    expect(dmpIdOf({ id: '1', imp: [{}] }, domain)).toBeUndefined();
  });
});

describe('consentOf', () => {
  it('reads 2.6 fields and falls back to 2.5 extensions', () => {
    expect(
      consentOf({ regs: { gdpr: 1, gpp: 'G', gpp_sid: [7] }, user: { consent: 'C' } }),
    ).toEqual({ gdpr: 1, gdpr_consent: 'C', gpp: 'G', gpp_sid: [7] });
    expect(consentOf({ regs: { ext: { gdpr: 1 } }, user: { ext: { consent: 'C' } } })).toEqual({
      gdpr: 1,
      gdpr_consent: 'C',
      gpp: undefined,
      gpp_sid: undefined,
    });
  });
});

describe('withSegments', () => {
  it('adds one Data object and leaves everything else as it was', () => {
    const request: JsonObject = {
      id: 'r1',
      imp: [{ id: '1', banner: { w: 300, h: 250 } }],
      user: { id: 'u', data: [{ name: 'other', segment: [{ id: '9' }] }] },
      ext: { prebid: { debug: true } },
    };
    const before = structuredClone(request);
    const out = withSegments(request, domain, [3, 5]);
    expect(request).toEqual(before);
    const { user, ...rest } = out;
    const { user: beforeUser, ...beforeRest } = before;
    expect(rest).toEqual(beforeRest);
    expect(user).toEqual({
      id: 'u',
      data: [
        { name: 'other', segment: [{ id: '9' }] },
        { name: domain, ext: { segtax: 4 }, segment: [{ id: '3' }, { id: '5' }] },
      ],
    });
    expect(beforeUser).toEqual(request.user);
  });
});

describe('checkBidRequest', () => {
  it.each<[JsonObject, string[]]>([
    [{ id: 'x', imp: [{}] }, []],
    [{ imp: [{}] }, ['id']],
    [{ id: 'x', imp: [] }, ['imp']],
    [{ id: 'x', imp: [{}], user: 'u' }, ['user']],
    [{ id: 'x', imp: [{}], user: { data: {} } }, ['user.data']],
  ])('%j -> %j', (body, fields) => {
    expect(checkBidRequest(body).map((i) => i.field)).toEqual(fields);
  });
});
