// A batch's per-record outcomes as [status, code, field] rows, for one toEqual over the whole batch.
export interface Outcome {
  status: string;
  error: { code: string; field: string | null } | null;
}

export const outcomes = (results: Outcome[]) => results.map((r) => [r.status, r.error?.code ?? null, r.error?.field ?? null]);
