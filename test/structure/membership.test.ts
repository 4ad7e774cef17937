// The membership rules: a record belongs to its member end's group; partners are of no group.
import { belongsTo, recordGroup } from '../../src/modules/structure/membership';

const lead = { code: 'L', groupCode: 'G1', partnerOf: [] };
const branch = { code: 'T', groupCode: 'G1', partnerOf: [] };
const otherLead = { code: 'L2', groupCode: 'G2', partnerOf: [] };
const sharedPartner = { code: 'E', groupCode: null, partnerOf: ['G1', 'G2'] };
const strangerPartner = { code: 'E3', groupCode: null, partnerOf: ['G3'] };

test('a member belongs to its group, a partner to every group it partners with', () => {
  expect(belongsTo(lead, 'G1')).toBe(true);
  expect(belongsTo(lead, 'G2')).toBe(false);
  expect(belongsTo(sharedPartner, 'G1')).toBe(true);
  expect(belongsTo(sharedPartner, 'G2')).toBe(true);
  expect(belongsTo(strangerPartner, 'G1')).toBe(false);
});

test('a record between two members is in-group; with a partner end it is out-of-county, in the member end\'s group', () => {
  expect(recordGroup(branch, lead)).toEqual({ ok: true, groupCode: 'G1', outOfCounty: false });
  expect(recordGroup(lead, sharedPartner)).toEqual({ ok: true, groupCode: 'G1', outOfCounty: true });
  expect(recordGroup(sharedPartner, otherLead)).toEqual({ ok: true, groupCode: 'G2', outOfCounty: true });
});

test('two groups, a partner of another group, or two partners are refused with the field at fault', () => {
  expect(recordGroup(branch, otherLead)).toMatchObject({ ok: false, code: 'CROSS_GROUP', field: 'toCode' });
  expect(recordGroup(strangerPartner, lead)).toMatchObject({ ok: false, code: 'CROSS_GROUP', field: 'fromCode' });
  expect(recordGroup(sharedPartner, strangerPartner)).toMatchObject({ ok: false, code: 'NO_MEMBER_END' });
});
