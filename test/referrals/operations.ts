// The contract's referral operations, plus the gateway's own ones the tests use.
import { parse } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
export { CreateReferralDocument, ReferralCountsDocument, TransitionReferralDocument } from '../../src/generated/operations';

export interface RecordReferralsResult {
  recordReferrals: {
    accepted: number;
    created: number;
    updated: number;
    unchanged: number;
    rejected: number;
    results: {
      index: number;
      externalId: string;
      status: string;
      error: { code: string; message: string; field: string | null } | null;
      referral: { id: string; status: string; direction: string; acceptedAt: string | null; arrivedAt: string | null } | null;
    }[];
  };
}

export const RecordReferralsDocument = parse(`
  mutation RecordReferrals($input: [RecordReferralInput!]!) {
    recordReferrals(input: $input) {
      accepted created updated unchanged rejected
      results { index externalId status error { code message field } referral { id status direction acceptedAt arrivedAt } }
    }
  }`) as TypedDocumentNode<RecordReferralsResult, { input: Record<string, unknown>[] }>;

/** A referral of 恒口 (a township health centre to the lead hospital) as a source system sends it in a batch. */
export function hkReferral(source: string, externalId: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    source,
    externalId,
    patientRef: `P-${externalId}`,
    fromCode: '610902-HK-T02',
    toCode: '610902-HK-L01',
    urgency: 'ROUTINE',
    requestedAt: '2026-02-01T08:00:00+08:00',
    ...extra,
  };
}
